
namespace PyHdfs.IntegrationTests.Failures;

/// <summary>
/// The standard cluster with the failure-handling intervals short enough for a test's deadline:
/// a DataNode is dead 2 s after its last heartbeat, the replication monitor runs every 500 ms,
/// a lost copy is rescheduled after 10 s, and the block scanner re-reads every replica every second.
/// </summary>
public sealed class FailureCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options)
    {
        options.ServiceSettings["Registry__DataNodeTtlMs"] = "2000";
        options.ServiceSettings["Registry__HeartbeatIntervalMs"] = "500";
        options.ServiceSettings["DataNode__HeartbeatIntervalMs"] = "500";
        options.ServiceSettings["NameNode__DataNodeHeartbeatIntervalMs"] = "500";
        options.ServiceSettings["NameNode__BlockReportIntervalMs"] = "10000";
        options.ServiceSettings["NameNode__ReplicationCheckIntervalMs"] = "500";
        options.ServiceSettings["NameNode__ReplicationPendingTimeoutMs"] = "10000";
        options.ServiceSettings["DataNode__ScannerIntervalMs"] = "1000";
        options.ServiceSettings["DataNode__ScannerBytesPerSecond"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
