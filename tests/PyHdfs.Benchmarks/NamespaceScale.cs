using System.Diagnostics;
using PyHdfs.Client;

namespace PyHdfs.Benchmarks;

/// <summary>
/// NameNode memory per file and restart time: N empty files are created through the normal metadata
/// path (64 concurrent clients doing create + close, 1,000 files per directory), the NameNode's
/// VmRSS is read before and after, then the NameNode is killed and started again.
/// </summary>
public sealed class NamespaceScale(BenchCluster cluster, Results results)
{
    private const int Clients = 64;
    private const int FilesPerDirectory = 1000;

    public async Task RunAsync(int files)
    {
        Console.Error.WriteLine($"namespace scale ({files} files)");
        var nameNodePid = cluster.Pid("namenode");
        var before = ProcStatus.ResidentBytes(nameNodePid);
        var watch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            await using var client = cluster.CreateClient();
            int i;
            while ((i = Interlocked.Increment(ref next)) < files)
            {
                await using var output = await client.CreateAsync(PathOf(i), new DfsCreateOptions { CreateParent = true });
                await output.CloseAsync();
            }
        })));
        watch.Stop();
        results.Add("ns_create_rate", files / watch.Elapsed.TotalSeconds, "files/s");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = ProcStatus.ResidentBytes(nameNodePid);
        results.Add("ns_files", files, "files");
        results.Add("ns_namenode_rss_before", Units.Mebibytes(before), "MiB");
        results.Add("ns_namenode_rss_after", Units.Mebibytes(after), "MiB");
        var perFile = Math.Max(0, after - before) / (double)files;
        results.AddWithBar("ns_namenode_bytes_per_file", perFile, "B/file", 400, atLeast: false, "<= 400 B/file at 1M files");

        var restart = await RestartAsync(PathOf(files - 1));
        results.AddWithBar("ns_namenode_restart", restart.TotalSeconds, "s", 30, atLeast: false, "<= 30 s at 1M files");
        results.Add("ns_namenode_rss_after_restart", Units.Mebibytes(ProcStatus.ResidentBytes(cluster.Pid("namenode"))), "MiB");
    }

    private static string PathOf(int i) => $"/bench/ns/d{i / FilesPerDirectory}/f{i}";

    /// <summary>Kill, start, and time until a new client's stat of <paramref name="probe"/> succeeds.</summary>
    private async Task<TimeSpan> RestartAsync(string probe)
    {
        await cluster.KillAsync("namenode");
        var watch = Stopwatch.StartNew();
        await cluster.StartAsync("namenode");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                await using var client = cluster.CreateClient();
                await client.GetFileStatusAsync(probe, deadline.Token);
                return watch.Elapsed;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}
