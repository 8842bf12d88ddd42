using Microsoft.Extensions.Logging;
using PyHdfs.NameNode.Blocks;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Namespace;

/// <summary>What DataNodes report about their replicas, reconciled with the block map.</summary>
internal sealed partial class FsNamespace
{
    /// <summary>Incremental report: replicas finalized and replicas deleted on one DataNode.</summary>
    public void BlockReceivedAndDeleted(string nodeId, IEnumerable<BlockRef> received, IEnumerable<BlockRef> deleted)
    {
        lock (SyncRoot)
        {
            foreach (var reference in received)
            {
                RecordReplica(nodeId, reference);
                _dataNodes.Unschedule(nodeId, reference.BlockId);
            }
            foreach (var reference in deleted)
            {
                if (Blocks.Get(reference.BlockId) is { } block)
                {
                    Blocks.RemoveReplica(block, nodeId);
                    _corruptReplicas.Remove((block.BlockId, nodeId));
                }
            }
        }
    }

    /// <summary>
    /// Full report: the node holds exactly these finalized replicas. Replicas the namespace does
    /// not know (deleted files, abandoned blocks, stale generation stamps) are queued for deletion
    /// on that node; replicas the map attributed to it but it no longer has are forgotten.
    /// </summary>
    public (int Recorded, int Invalidated) FullBlockReport(string nodeId, IReadOnlyCollection<BlockRef> replicas)
    {
        lock (SyncRoot)
        {
            var reported = new HashSet<long>(replicas.Select(r => r.BlockId));
            foreach (var blockId in Blocks.BlocksOn(nodeId).Where(id => !reported.Contains(id)))
            {
                if (Blocks.Get(blockId) is { } block)
                {
                    Blocks.RemoveReplica(block, nodeId);
                }
            }
            int recorded = 0, invalidated = 0;
            foreach (var reference in replicas)
            {
                if (RecordReplica(nodeId, reference) is not null)
                {
                    recorded++;
                }
                else
                {
                    invalidated++;
                }
            }
            _dataNodes.ResetScheduled(nodeId);
            return (recorded, invalidated);
        }
    }

    /// <summary>The block when the replica counts; otherwise it is garbage and its deletion is queued.</summary>
    private BlockInfo? RecordReplica(string nodeId, BlockRef reference)
    {
        var block = Blocks.Get(reference.BlockId);
        if (block is null || block.GenerationStamp != reference.GenerationStamp || !Blocks.AddReplica(block, nodeId, reference.NumBytes))
        {
            if (block is not null)
            {
                // What the node holds now is stale or of the wrong length: whatever it held before no longer counts.
                Blocks.RemoveReplica(block, nodeId);
                _logger.LogWarning("Replica of block {Block} on {Node} (stamp {Stamp}, {Length} bytes) does not match the namespace (stamp {Expected}, {ExpectedLength} bytes): queued for deletion",
                    reference.BlockId, nodeId, reference.GenerationStamp, reference.NumBytes, block.GenerationStamp, block.NumBytes);
            }
            _dataNodes.QueueDelete(nodeId, reference);
            return null;
        }
        return block;
    }

    /// <summary>A reader found bad checksums: the replica is no longer offered to readers while good ones exist.</summary>
    public int ReportBadBlocks(IEnumerable<BadReplica> replicas)
    {
        var recorded = 0;
        lock (SyncRoot)
        {
            foreach (var bad in replicas)
            {
                if (bad.Block is not null && Blocks.Get(bad.Block.BlockId) is { } block && block.HasReplicaOn(bad.DatanodeId)
                    && _corruptReplicas.Add((block.BlockId, bad.DatanodeId)))
                {
                    recorded++;
                }
            }
        }
        return recorded;
    }

    public int CorruptReplicaCount
    {
        get { lock (SyncRoot) { return _corruptReplicas.Count; } }
    }

    public int ReplicaCountOn(string nodeId) => ReplicaCounts().GetValueOrDefault(nodeId);

    /// <summary>Replicas the NameNode believes each DataNode holds.</summary>
    public Dictionary<string, int> ReplicaCounts()
    {
        lock (SyncRoot)
        {
            return Blocks.ReplicaCounts();
        }
    }
}
