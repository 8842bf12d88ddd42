namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// The standard cluster whose first DataNode keeps its replicas on a small tmpfs mounted before the
/// cluster starts (needs root; <see cref="SkipReason"/> says why not otherwise). DataNodes heartbeat the
/// NameNode and the registry only every 20 s, so a disk that fills between two heartbeats stays a placement target and the
/// DataNode itself must handle the full disk.
/// </summary>
public class DiskFullCluster : PyHdfsCluster, IAsyncDisposable
{
    public const string FullDataNode = "datanode-1";
    public const long TmpfsBytes = 32L * 1024 * 1024;

    private TmpfsMount? _mount;

    /// <summary>Why the small file system could not be provided; null when it is mounted.</summary>
    public string? SkipReason { get; private set; }

    public string FullDataNodeDirectory => Path.Combine(DataDirectory, FullDataNode);

    protected override void Configure(ClusterOptions options)
    {
        options.Replication = options.DataNodes;
        options.ServiceSettings["NameNode__DataNodeHeartbeatIntervalMs"] = "20000";
        // The registry's heartbeats carry the free space to the NameNode too.
        options.ServiceSettings["Registry__HeartbeatIntervalMs"] = "20000";
        options.ServiceSettings["Registry__DataNodeTtlMs"] = "60000";
        _mount = TmpfsMount.TryMount(FullDataNodeDirectory, TmpfsBytes, out var skipReason);
        SkipReason = skipReason;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        // Stops the processes first (nothing holds the mount then); deleting the temp directory skips the mount point.
        await DisposeAsync();
        _mount?.Unmount();
        try
        {
            System.IO.Directory.Delete(Directory.Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
