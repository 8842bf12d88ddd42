using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Replication;

/// <summary>
/// How one block stands: replicas on live DataNodes that are good or reported corrupt, and the
/// good ones on nodes that also take commands (registered). Dead nodes' replicas never count.
/// </summary>
internal readonly record struct ReplicaState(int GoodLive, int CorruptLive, int GoodUsable, int Expected)
{
    public BlockHealth Health => GoodLive switch
    {
        0 when CorruptLive == 0 => BlockHealth.Missing,
        0 => BlockHealth.Corrupt,
        _ when GoodLive < Expected => BlockHealth.UnderReplicated,
        _ when GoodLive > Expected => BlockHealth.OverReplicated,
        _ => BlockHealth.Healthy,
    };
}
