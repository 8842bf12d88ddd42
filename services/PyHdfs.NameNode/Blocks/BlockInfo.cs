using PyHdfs.NameNode.Namespace;
using PyHdfs.Protocol;

namespace PyHdfs.NameNode.Blocks;

/// <summary>
/// One block of a file and the DataNodes holding a finalized replica of its current generation
/// stamp (a small array: a few replicas per block, and one per file at 10^6 files adds up).
/// Replica bookkeeping that needs more than the node ids lives in <see cref="BlockMap"/>.
/// </summary>
internal sealed class BlockInfo(long blockId, long generationStamp, long numBytes, bool lengthKnown, FileInode file)
{
    private static readonly string[] NoNodes = [];

    public readonly long BlockId = blockId;
    public long GenerationStamp = generationStamp;
    public long NumBytes = numBytes;

    /// <summary>False for the last block of a file being written until its final length is declared.</summary>
    public bool LengthKnown = lengthKnown;

    public FileInode File = file;

    private string[] _nodes = NoNodes;

    public int ReplicaCount => _nodes.Length;

    public IReadOnlyList<string> Nodes => _nodes;

    public BlockRef ToRef() => new() { BlockId = BlockId, GenerationStamp = GenerationStamp, NumBytes = NumBytes };

    public bool HasReplicaOn(string nodeId) => Array.IndexOf(_nodes, nodeId) >= 0;

    /// <summary>False when the node was already listed.</summary>
    public bool AddNode(string nodeId)
    {
        if (Array.IndexOf(_nodes, nodeId) >= 0)
        {
            return false;
        }
        var nodes = new string[_nodes.Length + 1];
        _nodes.CopyTo(nodes, 0);
        nodes[^1] = nodeId;
        _nodes = nodes;
        return true;
    }

    public bool RemoveNode(string nodeId)
    {
        var index = Array.IndexOf(_nodes, nodeId);
        if (index < 0)
        {
            return false;
        }
        if (_nodes.Length == 1)
        {
            _nodes = NoNodes;
            return true;
        }
        var nodes = new string[_nodes.Length - 1];
        Array.Copy(_nodes, 0, nodes, 0, index);
        Array.Copy(_nodes, index + 1, nodes, index, _nodes.Length - index - 1);
        _nodes = nodes;
        return true;
    }
}
