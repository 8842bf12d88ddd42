using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.DataNodes;

/// <summary>What the NameNode knows about one DataNode. Guarded by the <see cref="DataNodeManager"/> lock.</summary>
internal sealed class DataNodeDescriptor(string id, DataNodeInfo info)
{
    public string Id { get; } = id;
    public DataNodeInfo Info { get; set; } = info;

    /// <summary>Alive according to the registry (its TTL key exists).</summary>
    public bool Live { get; set; }

    /// <summary>Registered with this NameNode since it started or since the registry last declared the node dead.</summary>
    public bool Registered { get; set; }

    /// <summary>Bytes of blocks placed on this node whose replicas have not been reported yet.</summary>
    public long ScheduledBytes { get; set; }

    public List<BlockRef> PendingDeletes { get; } = [];

    public List<DataNodeCommand> PendingCommands { get; } = [];
}
