using PyHdfs.NameNode.Namespace;
using PyHdfs.Protocol;

namespace PyHdfs.NameNode.Blocks;

/// <summary>
/// One block of a file and the DataNodes holding a finalized replica of its current generation
/// stamp. While the block's final length is unknown (the last block of a file being written),
/// each replica's reported length is kept beside it; once the length is fixed, replicas of
/// another length stop counting.
/// </summary>
internal sealed class BlockInfo(long blockId, long generationStamp, long numBytes, bool lengthKnown, FileInode file)
{
    private static readonly string[] NoNodes = [];

    public readonly long BlockId = blockId;
    public long GenerationStamp = generationStamp;
    public long NumBytes = numBytes;
    public bool LengthKnown = lengthKnown;
    public FileInode File = file;

    private string[] _nodes = NoNodes;
    private long[]? _reportedLengths;

    public int ReplicaCount => _nodes.Length;

    public IReadOnlyList<string> Nodes => _nodes;

    public BlockRef ToRef() => new() { BlockId = BlockId, GenerationStamp = GenerationStamp, NumBytes = NumBytes };

    public bool HasReplicaOn(string nodeId) => Array.IndexOf(_nodes, nodeId) >= 0;

    /// <summary>Records a finalized replica; false when it cannot count (wrong length).</summary>
    public bool AddReplica(string nodeId, long length)
    {
        if (LengthKnown && length != NumBytes)
        {
            return false;
        }
        var index = Array.IndexOf(_nodes, nodeId);
        if (index >= 0)
        {
            if (_reportedLengths is not null)
            {
                _reportedLengths[index] = length;
            }
            return true;
        }
        var nodes = new string[_nodes.Length + 1];
        _nodes.CopyTo(nodes, 0);
        nodes[^1] = nodeId;
        if (!LengthKnown)
        {
            var lengths = new long[nodes.Length];
            _reportedLengths?.CopyTo(lengths, 0);
            lengths[^1] = length;
            _reportedLengths = lengths;
        }
        _nodes = nodes;
        return true;
    }

    public bool RemoveReplica(string nodeId)
    {
        var index = Array.IndexOf(_nodes, nodeId);
        if (index < 0)
        {
            return false;
        }
        _nodes = RemoveAt(_nodes, index);
        if (_reportedLengths is not null)
        {
            _reportedLengths = RemoveAt(_reportedLengths, index);
        }
        return true;
    }

    /// <summary>Fixes the final length; returns the replicas that were reported with another length.</summary>
    public IReadOnlyList<string> FixLength(long numBytes)
    {
        NumBytes = numBytes;
        if (LengthKnown)
        {
            return NoNodes;
        }
        LengthKnown = true;
        var lengths = _reportedLengths;
        _reportedLengths = null;
        if (lengths is null)
        {
            return NoNodes;
        }
        List<string>? mismatched = null;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] != numBytes)
            {
                (mismatched ??= []).Add(_nodes[i]);
            }
        }
        if (mismatched is not null)
        {
            _nodes = _nodes.Where(n => !mismatched.Contains(n)).ToArray();
        }
        return (IReadOnlyList<string>?)mismatched ?? NoNodes;
    }

    /// <summary>Replicas reported with exactly this length (the length the client declares at complete).</summary>
    public int ReplicasWithLength(long numBytes)
    {
        if (LengthKnown || _reportedLengths is null)
        {
            return LengthKnown && numBytes == NumBytes ? _nodes.Length : 0;
        }
        return _reportedLengths.Count(l => l == numBytes);
    }

    private static T[] RemoveAt<T>(T[] array, int index)
    {
        if (array.Length == 1)
        {
            return [];
        }
        var result = new T[array.Length - 1];
        Array.Copy(array, 0, result, 0, index);
        Array.Copy(array, index + 1, result, index, array.Length - index - 1);
        return result;
    }
}
