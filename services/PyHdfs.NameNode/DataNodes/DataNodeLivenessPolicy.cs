namespace PyHdfs.NameNode.DataNodes;

/// <summary>
/// When the NameNode believes a DataNode is dead (docs/registry.md, "What depends on Redis"). The
/// DataNode's own heartbeats to this NameNode are the authority; the registry's death notice is
/// believed only when those heartbeats have stopped too, so a Redis outage (keys unreadable, or
/// expired all at once when it returns, or lost) never kills a node that is still talking to us.
/// </summary>
/// <param name="HeartbeatGraceMs">A registry death notice is refuted by a direct heartbeat this recent, or arriving this soon after it.</param>
/// <param name="DeadIntervalMs">A registered node with no direct heartbeat for this long is dead, whatever the registry says.</param>
internal sealed record DataNodeLivenessPolicy(long HeartbeatGraceMs, long DeadIntervalMs)
{
    public static DataNodeLivenessPolicy Default { get; } = From(new NameNodeOptions());

    public static DataNodeLivenessPolicy From(NameNodeOptions options) =>
        new(2 * options.DataNodeHeartbeatIntervalMs + 1000,
            options.DataNodeDeadIntervalMs > 0 ? options.DataNodeDeadIntervalMs : Math.Max(30_000, 10 * options.DataNodeHeartbeatIntervalMs));
}
