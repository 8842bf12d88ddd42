using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.NameNode;

/// <summary>Configuration section "NameNode". Units are in the names.</summary>
public sealed class NameNodeOptions
{
    public const string SectionName = "NameNode";

    public const int MaxReplication = 32;
    public const long MinBlockSizeBytes = 64 * 1024;
    public const long MaxBlockSizeBytes = 2L * 1024 * 1024 * 1024;
    public const int BlockSizeGranuleBytes = 512;

    /// <summary>Identity in leader election and in answers to DataNodes.</summary>
    public string Id { get; set; } = "namenode-1";

    /// <summary>
    /// Address published while leading; empty: the Kestrel endpoint named "grpc" when configured with a
    /// port (the AppHost's), else the first address Kestrel listens on.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "";

    public long BlockSizeBytes { get; set; } = 128L * 1024 * 1024;
    public int Replication { get; set; } = 2;
    public int MinReplication { get; set; } = 1;
    public long LeaseSoftLimitMs { get; set; } = 60_000;
    public long LeaseHardLimitMs { get; set; } = 600_000;

    /// <summary>How often the lease monitor looks for expired writers; 0: a tenth of the hard limit, between 100 ms and 5 s.</summary>
    public long LeaseCheckIntervalMs { get; set; }

    /// <summary>Leadership lease in the registry, renewed every third of it: a dead active is replaced within about this long.</summary>
    public long LeaderLeaseMs { get; set; } = 3000;

    /// <summary>
    /// Several NameNodes elect the active one in the registry (docs/ha.md). False: this is the only
    /// NameNode; it is active on its own, fenced by the metadata service's epoch, and Redis plays no
    /// part in its role.
    /// </summary>
    public bool HighAvailability { get; set; }

    /// <summary>Safe mode ends once this fraction of complete blocks has a reported replica (0..1) ...</summary>
    public double SafeModeThreshold { get; set; } = 0.999;

    /// <summary>... and stayed there this long.</summary>
    public long SafeModeExtensionMs { get; set; }
    public int ListingPageSize { get; set; } = 1000;
    public int MaxListingPageSize { get; set; } = 10_000;
    public long DataNodeHeartbeatIntervalMs { get; set; } = 3000;

    /// <summary>
    /// A DataNode that has not heartbeated this NameNode for this long is dead, even while the registry is unreachable;
    /// 0 = the larger of 30 s and ten heartbeat intervals.
    /// </summary>
    public long DataNodeDeadIntervalMs { get; set; }
    public long BlockReportIntervalMs { get; set; } = 3_600_000;

    /// <summary>Most journal entries in one Metadata.Append.</summary>
    public int MaxJournalBatchEntries { get; set; } = 4096;

    /// <summary>
    /// Journal batches sent to the metadata service before the first is acknowledged (pipelined on
    /// one AppendStream, acknowledged in txid order); 1 = one unary Append at a time.
    /// </summary>
    public int MaxJournalBatchesInFlight { get; set; } = 3;

    /// <summary>Deadline of one Metadata.Append (or of the oldest batch in flight); past it the unacknowledged batches are sent again.</summary>
    public long JournalAppendTimeoutMs { get; set; } = 30_000;

    /// <summary>How long, and how many, answers to create/rename/delete are kept for clients retrying with the same client_request_id.</summary>
    public long RetryCacheTtlMs { get; set; } = 600_000;
    public int RetryCacheEntries { get; set; } = 100_000;

    /// <summary>Replication monitor: period of a round, copies in flight per source DataNode, and how long a copy may take before it is scheduled again.</summary>
    public long ReplicationCheckIntervalMs { get; set; } = 3000;
    public int MaxReplicationStreamsPerNode { get; set; } = 2;
    public long ReplicationPendingTimeoutMs { get; set; } = 60_000;

    /// <summary>How long a block access token stays valid (only with a cluster secret: without one no tokens are issued); at most <see cref="MaxBlockTokenLifetimeMs"/>.</summary>
    public long BlockTokenLifetimeMs { get; set; } = 600_000;

    /// <summary>The longest BlockTokenLifetimeMs (7 days): a token is a bearer credential, and a leaked one must expire.</summary>
    public const long MaxBlockTokenLifetimeMs = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Permission checks on every client call (HDFS's dfs.permissions.enabled); off, owners and modes are still recorded.</summary>
    public bool PermissionsEnabled { get; set; } = true;

    /// <summary>The superuser, who passes every permission check: by default the OS user running the NameNode.</summary>
    public string SuperUser { get; set; } = Environment.UserName;

    /// <summary>Members of this group are superusers too.</summary>
    public string SuperGroup { get; set; } = "supergroup";

    /// <summary>Comma-separated users whose /user/NAME a fresh namespace gets, besides the superuser's (see FreshNamespaceLayout).</summary>
    public string HomeDirectoryUsers { get; set; } = "";

    /// <summary>Static user → groups mapping ("alice": "staff,dev"); a user listed here gets exactly these groups instead of its OS groups.</summary>
    public Dictionary<string, string> UserGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long the OS groups (/etc/group, /etc/passwd) are cached.</summary>
    public long GroupCacheTtlMs { get; set; } = 60_000;

    public long RetryInitialBackoffMs { get; set; } = 100;
    public long RetryMaxBackoffMs { get; set; } = 5000;

    public TimeSpan LeaseCheckInterval => TimeSpan.FromMilliseconds(LeaseCheckIntervalMs > 0
        ? LeaseCheckIntervalMs
        : Math.Clamp(LeaseHardLimitMs / 10, 100, 5000));

    /// <summary>Kestrel's named gRPC endpoint (Kestrel__Endpoints__grpc__Url, set by the AppHost).</summary>
    public const string GrpcEndpointUrlKey = "Kestrel:Endpoints:grpc:Url";

    /// <summary>
    /// The Python prototype's keys ([name_node] block_size, replication_factor) apply when the NameNode: key
    /// is not set; the advertised address defaults to the named gRPC endpoint.
    /// </summary>

    public static void ApplyAliases(NameNodeOptions options, IConfiguration configuration)
    {
        // With two endpoints the first address Kestrel reports may be the HTTP/1.1 one, where no gRPC is served.
        if (string.IsNullOrWhiteSpace(options.AdvertisedAddress)
            && Uri.TryCreate(configuration[GrpcEndpointUrlKey], UriKind.Absolute, out var grpc) && grpc.Port > 0)
        {
            options.AdvertisedAddress = grpc.GetLeftPart(UriPartial.Authority);
        }
        if (configuration[$"{SectionName}:{nameof(BlockSizeBytes)}"] is null
            && long.TryParse(configuration["name_node:block_size"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var blockSize))
        {
            options.BlockSizeBytes = blockSize;
        }
        if (configuration[$"{SectionName}:{nameof(Replication)}"] is null
            && int.TryParse(configuration["name_node:replication_factor"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var replication))
        {
            options.Replication = replication;
        }
    }

    /// <summary>Null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        if (ReplicationError(Replication) is { } r)
        {
            return $"NameNode:Replication: {r}";
        }
        if (BlockSizeError(BlockSizeBytes) is { } b)
        {
            return $"NameNode:BlockSizeBytes: {b}";
        }
        if (MinReplication < 1 || MinReplication > MaxReplication)
        {
            return $"NameNode:MinReplication: {MinReplication} is outside 1..{MaxReplication}";
        }
        if (LeaseHardLimitMs <= 0 || LeaseSoftLimitMs <= 0 || LeaderLeaseMs < 300)
        {
            return "NameNode lease limits must be positive (LeaderLeaseMs at least 300)";
        }
        if (DataNodeHeartbeatIntervalMs <= 0 || DataNodeDeadIntervalMs < 0)
        {
            return $"NameNode:DataNodeHeartbeatIntervalMs ({DataNodeHeartbeatIntervalMs}) must be positive and DataNodeDeadIntervalMs ({DataNodeDeadIntervalMs}) not negative";
        }
        if (SafeModeThreshold is < 0 or > 1 || SafeModeExtensionMs < 0)
        {
            return $"NameNode:SafeModeThreshold ({SafeModeThreshold}) must be within 0..1 and SafeModeExtensionMs ({SafeModeExtensionMs}) not negative";
        }
        if (ReplicationCheckIntervalMs <= 0 || MaxReplicationStreamsPerNode < 1 || ReplicationPendingTimeoutMs <= 0)
        {
            return "NameNode:ReplicationCheckIntervalMs, MaxReplicationStreamsPerNode and ReplicationPendingTimeoutMs must be positive";
        }
        if (BlockTokenLifetimeMs is <= 0 or > MaxBlockTokenLifetimeMs)
        {
            return $"NameNode:BlockTokenLifetimeMs: {BlockTokenLifetimeMs} is outside 1..{MaxBlockTokenLifetimeMs} (at most 7 days)";
        }
        if (MaxJournalBatchesInFlight is < 1 or > 64)
        {
            return $"NameNode:MaxJournalBatchesInFlight: {MaxJournalBatchesInFlight} is outside 1..64";
        }
        if (string.IsNullOrWhiteSpace(SuperUser) || string.IsNullOrWhiteSpace(SuperGroup) || GroupCacheTtlMs < 0)
        {
            return "NameNode:SuperUser and NameNode:SuperGroup must not be empty, and GroupCacheTtlMs not negative";
        }
        return string.IsNullOrWhiteSpace(Id) ? "NameNode:Id is empty" : null;
    }

    public static string? ReplicationError(int replication) =>
        replication is < 1 or > MaxReplication ? $"replication {replication} is outside 1..{MaxReplication}" : null;

    public static string? BlockSizeError(long blockSize) =>
        blockSize < MinBlockSizeBytes || blockSize > MaxBlockSizeBytes || blockSize % BlockSizeGranuleBytes != 0
            ? $"block size {blockSize} must be a multiple of {BlockSizeGranuleBytes} between {MinBlockSizeBytes} (64 KiB) and {MaxBlockSizeBytes} (2 GiB)"
            : null;
}
