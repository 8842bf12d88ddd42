
namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// The standard cluster with a short transfer idle timeout, so that fuzz connections a DataNode keeps
/// waiting on (a header that promises more bytes than arrive) free their slot within the test's time.
/// </summary>
public sealed class FuzzCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options)
    {
        options.ServiceSettings["DataNode__TransferIdleTimeoutMs"] = "5000";
    }
}
