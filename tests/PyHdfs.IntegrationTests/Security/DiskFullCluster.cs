using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// The standard cluster whose first DataNode keeps its replicas on a small tmpfs mounted before the
/// cluster starts (needs root; <see cref="SkipReason"/> says why not otherwise). DataNodes heartbeat the
/// NameNode and the registry only every 20 s, so a disk that fills between two heartbeats stays a placement target and the
/// DataNode itself must handle the full disk.
/// </summary>
public sealed class DiskFullCluster : PyHdfsCluster, IAsyncDisposable
{
    public const string FullDataNode = "datanode-1";
    public const long TmpfsBytes = 32L * 1024 * 1024;

    private string? _mountPoint;

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
        var mountPoint = Path.Combine(DataDirectory, FullDataNode);
        if (!OperatingSystem.IsLinux())
        {
            SkipReason = "mounting a small tmpfs needs Linux";
            return;
        }
        System.IO.Directory.CreateDirectory(mountPoint);
        var size = (TmpfsBytes / 1024).ToString(CultureInfo.InvariantCulture) + "k";
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", mountPoint);
        if (exitCode != 0)
        {
            SkipReason = $"cannot mount a {TmpfsBytes >> 20} MiB tmpfs at {mountPoint} (needs root; running as {Environment.UserName}): {output.Trim()}";
            return;
        }
        _mountPoint = mountPoint;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        // Stops the processes first (nothing holds the mount then); deleting the temp directory skips the mount point.
        await DisposeAsync();
        if (_mountPoint is not null && Run("umount", _mountPoint).ExitCode != 0)
        {
            Run("umount", "-l", _mountPoint);
        }
        try
        {
            System.IO.Directory.Delete(Directory.Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int ExitCode, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
