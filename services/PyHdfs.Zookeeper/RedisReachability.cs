using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>Whether Redis answers, from the connection's own failure and restore events and from every health probe.</summary>
public sealed class RedisReachability(ILogger<RedisReachability> logger)
{
    public Reachability State { get; } = new("redis", logger);

    public void Watch(IConnectionMultiplexer redis)
    {
        redis.ConnectionFailed += (_, e) => State.Failed($"{e.FailureType}: {e.Exception?.Message ?? "connection lost"}");
        redis.ConnectionRestored += (_, _) => State.Reached();
    }
}
