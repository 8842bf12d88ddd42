using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>The names of every Redis key and channel the registry uses, all under one prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    private string DataNodePrefix => Prefix + "dn:";

    /// <summary>A hash {info: DataNodeInfo protobuf bytes, registered: unix ms} with the DataNode's TTL.</summary>
    public RedisKey DataNode(string id) => DataNodePrefix + id;

    /// <summary>The set of DataNode ids believed alive; an id whose key is gone is a death not yet announced.</summary>
    public RedisKey Members => DataNodePrefix + "members";

    public RedisChannel Events => RedisChannel.Literal(DataNodePrefix + "events");

    public RedisKey Leader => Prefix + "leader";

    public RedisKey Epoch => Prefix + "epoch";

    /// <summary>The DataNode id of a key named in a keyspace notification, or null when the key is not a DataNode key.</summary>
    public string? DataNodeIdOf(string key)
    {
        if (!key.StartsWith(DataNodePrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var id = key[DataNodePrefix.Length..];
        return id.Length == 0 || id is "members" or "events" ? null : id;
    }
}
