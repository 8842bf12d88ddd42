using Microsoft.Extensions.Logging;
using PyHdfs.NameNode.Blocks;
using PyHdfs.NameNode.Replication;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Namespace;

/// <summary>What DataNodes report about their replicas, reconciled with the block map.</summary>
internal sealed partial class FsNamespace
{
    /// <summary>Work for the replication monitor; fed by the reports and triggers below.</summary>
    public ReplicationQueues Replication { get; } = new();

    /// <summary>Incremental report: replicas finalized and replicas deleted on one DataNode.</summary>
    public void BlockReceivedAndDeleted(string nodeId, IEnumerable<BlockRef> received, IEnumerable<BlockRef> deleted)
    {
        lock (SyncRoot)
        {
            foreach (var reference in received)
            {
                RecordReplica(nodeId, reference);
                _dataNodes.Unschedule(nodeId, reference.BlockId);
                Replication.OnReplicaStored(reference.BlockId, nodeId);
            }
            foreach (var reference in deleted)
            {
                if (Blocks.Get(reference.BlockId) is { } block)
                {
                    Blocks.RemoveReplica(block, nodeId);
                    _corruptReplicas.Remove((block.BlockId, nodeId));
                    Replication.MarkDirty(block.BlockId);
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
                    // Expected but missing: the monitor re-replicates it.
                    Blocks.RemoveReplica(block, nodeId);
                    Replication.MarkDirty(blockId);
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
            // A node that (re)joins may bring back replicas that are now excess.
            Replication.RequestFullScan();
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

    /// <summary>
    /// A reader or a DataNode's scanner found bad checksums: the replica is no longer offered to
    /// readers while good ones exist, stops counting, and the block is re-replicated from a good one.
    /// </summary>
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
                    Replication.MarkDirty(block.BlockId);
                    _logger.LogWarning("Replica of block {Block} on {Node} reported corrupt: {Reason}", block.BlockId, bad.DatanodeId, bad.Reason);
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

    public bool IsCorruptReplica(long blockId, string nodeId) => _corruptReplicas.Contains((blockId, nodeId));

    /// <summary>Nodes whose replica of the block was reported corrupt (including ones already told to delete it).</summary>
    public List<string> CorruptNodesOf(long blockId) =>
        _corruptReplicas.Where(r => r.BlockId == blockId).Select(r => r.NodeId).ToList();

    /// <summary>How the block stands now (under the namespace lock).</summary>
    public ReplicaState StateOf(BlockInfo block)
    {
        int goodLive = 0, corruptLive = 0, goodUsable = 0;
        foreach (var node in block.Nodes)
        {
            if (!_dataNodes.IsLive(node))
            {
                continue;
            }
            if (_corruptReplicas.Contains((block.BlockId, node)))
            {
                corruptLive++;
                continue;
            }
            goodLive++;
            if (_dataNodes.IsRegistered(node))
            {
                goodUsable++;
            }
        }
        return new ReplicaState(goodLive, corruptLive, goodUsable, block.File.Replication);
    }

    /// <summary>setrep: the monitor looks at the file's blocks at its next round.</summary>
    public void RequestReplicationCheck(string rawPath)
    {
        var path = Protocol.Paths.DfsPath.Normalize(rawPath);
        lock (SyncRoot)
        {
            if (Resolve(path) is FileInode file)
            {
                foreach (var block in file.Blocks)
                {
                    Replication.MarkDirty(block.BlockId);
                }
            }
        }
    }
}
