using PyHdfs.Protocol;

namespace PyHdfs.NameNode.Blocks;

/// <summary>
/// Block id → <see cref="BlockInfo"/>, plus the reverse index DataNode → block ids needed to
/// reconcile a full block report. Not thread-safe: used under the namespace lock.
/// </summary>
internal sealed class BlockMap
{
    private readonly Dictionary<long, BlockInfo> _blocks = [];
    private readonly Dictionary<string, HashSet<long>> _byNode = new(StringComparer.Ordinal);

    public int Count => _blocks.Count;

    public void Clear()
    {
        _blocks.Clear();
        _byNode.Clear();
    }

    public IEnumerable<BlockInfo> All => _blocks.Values;

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
            block.RemoveReplica(node);
            Untrack(node, block.BlockId);
        }
        return nodes;
    }

    public int CountOn(string nodeId) => _byNode.TryGetValue(nodeId, out var set) ? set.Count : 0;

    public IReadOnlyCollection<long> BlocksOn(string nodeId) =>
        _byNode.TryGetValue(nodeId, out var set) ? set : (IReadOnlyCollection<long>)[];

    /// <summary>Records a finalized replica; false when the block does not accept it (wrong length).</summary>
    public bool AddReplica(BlockInfo block, string nodeId, long length)
    {
        if (!block.AddReplica(nodeId, length))
        {
            return false;
        }
        if (!_byNode.TryGetValue(nodeId, out var set))
        {
            _byNode[nodeId] = set = [];
        }
        set.Add(block.BlockId);
        return true;
    }

    public void RemoveReplica(BlockInfo block, string nodeId)
    {
        block.RemoveReplica(nodeId);
        Untrack(nodeId, block.BlockId);
    }

    /// <summary>Fixes a block's final length; replicas of another length stop counting and are returned.</summary>
    public IReadOnlyList<string> FixLength(BlockInfo block, long numBytes)
    {
        var mismatched = block.FixLength(numBytes);
        foreach (var node in mismatched)
        {
            Untrack(node, block.BlockId);
        }
        return mismatched;
    }

    public static BlockRef Ref(long blockId, long generationStamp, long numBytes) =>
        new() { BlockId = blockId, GenerationStamp = generationStamp, NumBytes = numBytes };

    private void Untrack(string nodeId, long blockId)
    {
        if (_byNode.TryGetValue(nodeId, out var set) && set.Remove(blockId) && set.Count == 0)
        {
            _byNode.Remove(nodeId);
        }
    }
}
