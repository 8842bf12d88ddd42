using System.Diagnostics;

namespace PyHdfs.Client;

/// <summary>How a <see cref="DfsClient"/> reaches and talks to the cluster.</summary>
public sealed record DfsClientOptions
{
    /// <summary>NameNode addresses, tried in order (the active one is remembered). Parse with <see cref="NameNodeAddresses.Parse"/>.</summary>
    public required IReadOnlyList<Uri> NameNodes { get; init; }

    /// <summary>Lease-holder identity; unique per client instance.</summary>
    public string ClientName { get; init; } = DefaultClientName();

    /// <summary>Environment variable naming the user instead of the OS user (as HADOOP_USER_NAME does for HDFS).</summary>
    public const string UserEnvironmentVariable = "PYHDFS_USER";

    /// <summary>
    /// Who the client acts as, sent to the NameNode as the <see cref="Protocol.RequestHeaders.User"/> request header ("simple"
    /// identity: the NameNode believes it). Default: $PYHDFS_USER when set, else the OS user.
    /// </summary>
    public string User { get; init; } = DefaultUser();

    /// <summary>Deadline of each NameNode call.</summary>
    public TimeSpan RpcTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a NameNode call keeps retrying (with backoff, across every address) while no
    /// NameNode is active or the active one is in safe mode: it covers a failover or a restart.
    /// Zero fails at once. Retried create/rename/delete carry the same request id, so the NameNode's
    /// retry cache answers a retry of a call that did succeed.
    /// </summary>
    public TimeSpan FailoverTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connect/read/write timeout of a DataNode connection (no progress for this long = failed).</summary>
    public TimeSpan DataNodeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Unacknowledged packets a write pipeline may have in flight (memory bound = this x 256 KiB).</summary>
    public int WriteWindowPackets { get; init; } = 32;

    /// <summary>Data bytes per packet (a multiple of <see cref="BytesPerChecksum"/>).</summary>
    public int PacketSizeBytes { get; init; } = 256 * 1024;

    /// <summary>Bytes covered by one CRC32.</summary>
    public int BytesPerChecksum { get; init; } = 16 * 1024;

    public TimeSpan LeaseRenewalInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long Close keeps retrying Complete while the last block is not yet replicated.</summary>
    public TimeSpan CompleteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many bytes of block locations a reader asks for at once.</summary>
    public long LocationPrefetchBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The cluster CA (PEM) of a cluster that runs TLS; null for a plaintext cluster. When set, the
    /// NameNode is called over https (an http:// or bare host:port address is upgraded) and DataNode
    /// connections use TLS; servers are trusted only if their certificate chains to this CA.
    /// </summary>
    public string? TlsCaPath { get; init; }

    /// <summary>The environment variable the CLI (and <see cref="TlsCaPathFromEnvironment"/>) reads the CA path from.</summary>
    public const string TlsCaEnvironmentVariable = "PYHDFS_TLS_CA";

    /// <summary>$PYHDFS_TLS_CA, or null when unset.</summary>
    public static string? TlsCaPathFromEnvironment() =>
        Environment.GetEnvironmentVariable(TlsCaEnvironmentVariable) is { Length: > 0 } path ? path : null;

    public static DfsClientOptions FromAddresses(string addresses) => new() { NameNodes = NameNodeAddresses.Parse(addresses) };

    public static string DefaultUser() =>
        Environment.GetEnvironmentVariable(UserEnvironmentVariable) is { } user && !string.IsNullOrWhiteSpace(user) ? user.Trim() : Environment.UserName;

    private static string DefaultClientName() =>
        $"pyhdfs-client-{Environment.ProcessId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4))}";

    internal void Validate()
    {
        if (NameNodes.Count == 0)
        {
            throw new ArgumentException("at least one NameNode address is required", nameof(NameNodes));
        }
        if (PacketSizeBytes <= 0 || BytesPerChecksum <= 0 || PacketSizeBytes % BytesPerChecksum != 0)
        {
            throw new ArgumentException($"packet size {PacketSizeBytes} must be a positive multiple of bytes per checksum {BytesPerChecksum}");
        }
        Debug.Assert(WriteWindowPackets > 0);
    }
}
