namespace PyHdfs.DataNode;

/// <summary>The "DataNode" configuration section. Every duration and size names its unit.</summary>
public sealed class DataNodeOptions
{
    public const string SectionName = "DataNode";

    /// <summary>Stable identity; when empty it is read from (or written to) <c>DataDir/datanode-id</c>.</summary>
    public string Id { get; set; } = "";
    public string DataDir { get; set; } = "data/datanode";
    /// <summary>Host advertised (and bound, when it is an IP address) for block transfer.</summary>
    public string Host { get; set; } = "127.0.0.1";
    public int DataPort { get; set; }
    public int HeartbeatIntervalMs { get; set; } = 3000;
    /// <summary>0: the size of the disk holding DataDir.</summary>
    public long CapacityBytes { get; set; }
    public bool SyncOnBlockClose { get; set; } = true;
    public int MaxTransferConnections { get; set; } = 256;
    /// <summary>A peer that sends or accepts nothing for this long loses its connection.</summary>
    public int TransferIdleTimeoutMs { get; set; } = 60_000;
    public int ConnectTimeoutMs { get; set; } = 10_000;
    /// <summary>SO_RCVBUF / SO_SNDBUF of transfer sockets; 0 leaves the OS's auto-tuning.</summary>
    public int SocketBufferBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Upper bound on the data of one packet sent by reads and re-replication.</summary>
    public int ReadPacketBytes { get; set; } = 256 * 1024;
    public int RpcTimeoutMs { get; set; } = 10_000;
    /// <summary>An rbw replica no write or pipeline recovery touched for this long is deleted.</summary>
    public long AbandonedReplicaTtlMs { get; set; } = 60 * 60 * 1000;
    /// <summary>Longest wait between two attempts to reach a registry or NameNode that is down.</summary>
    public int MaxRetryBackoffMs { get; set; } = 10_000;
    /// <summary>Block scanner: verification rate, and the pause between two passes over every replica (0 disables it).</summary>
    public long ScannerBytesPerSecond { get; set; } = 1024 * 1024;
    public long ScannerIntervalMs { get; set; } = 6L * 3600 * 1000;
}
