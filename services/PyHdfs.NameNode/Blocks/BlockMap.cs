namespace PyHdfs.NameNode.Blocks;

/// <summary>
/// Block id → <see cref="BlockInfo"/>. While a block's final length is unknown (the last block
/// of a file being written), the length each replica reported is kept here, beside the map,
/// so that complete blocks (nearly all of them) pay nothing for it. There is deliberately no
/// DataNode → blocks index (it would cost ~20 bytes per replica): reconciling a full block
/// report scans the map instead, which is linear in the block count and happens rarely.
/// Not thread-safe: used under the namespace lock.
/// </summary>
internal sealed class BlockMap
{
    private readonly Dictionary<long, BlockInfo> _blocks = [];
    private readonly Dictionary<(long BlockId, string NodeId), long> _reportedLengths = [];

    public int Count => _blocks.Count;

    public IEnumerable<BlockInfo> All => _blocks.Values;

    public void Clear()
    {
        _blocks.Clear();
        _reportedLengths.Clear();
    }

    public BlockInfo? Get(long blockId) => _blocks.GetValueOrDefault(blockId);

    public void Add(BlockInfo block) => _blocks.Add(block.BlockId, block);

    /// <summary>Forgets the block; returns where its replicas were (they are garbage now).</summary>
    public IReadOnlyList<string> Remove(BlockInfo block)
    {
        if (!_blocks.Remove(block.BlockId))
        {
            return [];
        }
        var nodes = block.Nodes.ToArray();
        foreach (var node in nodes)
        {
            RemoveReplica(block, node);
        }
        return nodes;
    }

    /// <summary>Records a finalized replica; false when it cannot count (its length differs from the block's final length).</summary>
    public bool AddReplica(BlockInfo block, string nodeId, long length)
    {
        if (block.LengthKnown)
        {
            if (length != block.NumBytes)
            {
                return false;
            }
        }
        else
        {
            _reportedLengths[(block.BlockId, nodeId)] = length;
        }
        block.AddNode(nodeId);
        return true;
    }

    public void RemoveReplica(BlockInfo block, string nodeId)
    {
        block.RemoveNode(nodeId);
        _reportedLengths.Remove((block.BlockId, nodeId));
    }

    /// <summary>Fixes a block's final length; replicas reported with another length stop counting and are returned.</summary>
    public IReadOnlyList<string> FixLength(BlockInfo block, long numBytes)
    {
        block.NumBytes = numBytes;
        if (block.LengthKnown)
        {
            return [];
        }
        block.LengthKnown = true;
        List<string>? mismatched = null;
        foreach (var node in block.Nodes.ToArray())
        {
            if (_reportedLengths.Remove((block.BlockId, node), out var length) && length != numBytes)
            {
                block.RemoveNode(node);
                (mismatched ??= []).Add(node);
            }
        }
        return (IReadOnlyList<string>?)mismatched ?? [];
    }

    /// <summary>The ids of the blocks with a replica on the node (a scan).</summary>
    public List<long> BlocksOn(string nodeId) =>
        _blocks.Values.Where(b => b.HasReplicaOn(nodeId)).Select(b => b.BlockId).ToList();

    /// <summary>Replicas per DataNode (a scan).</summary>
    public Dictionary<string, int> ReplicaCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var block in _blocks.Values)
        {
            foreach (var node in block.Nodes)
            {
                counts[node] = counts.GetValueOrDefault(node) + 1;
            }
        }
        return counts;
    }
}
