namespace PyHdfs.Zookeeper;

/// <summary>The registry's configuration section "Registry".</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>Prefix of every Redis key and channel, so several clusters can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "pyhdfs:";

    /// <summary>A DataNode that does not heartbeat for this long is dead.</summary>
    public int DataNodeTtlMs { get; set; } = 30_000;

    /// <summary>The heartbeat interval the registry tells DataNodes to use.</summary>
    public int HeartbeatIntervalMs { get; set; } = 3_000;

    public void Validate()
    {
        if (DataNodeTtlMs <= 0)
        {
            throw new InvalidOperationException($"Registry:DataNodeTtlMs must be positive, got {DataNodeTtlMs}");
        }
        if (HeartbeatIntervalMs <= 0)
        {
            throw new InvalidOperationException($"Registry:HeartbeatIntervalMs must be positive, got {HeartbeatIntervalMs}");
        }
    }
}
