using System.Runtime.Versioning;
using PyHdfs.IntegrationTests.Dashboard;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// The AppHost executable as a user runs it: the dashboard's login URL and one ready line on the console, the
/// cluster file (private to its user), and no process of the cluster left after SIGTERM (graceful) or SIGKILL
/// (DCP's monitor notices the AppHost is gone and stops everything).
/// </summary>
[SupportedOSPlatform("linux")] // /proc, signals and file modes
public sealed class AppHostProcessTests
{
    private static readonly TimeSpan SigTermDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SigKillCleanup = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Prints_the_login_url_and_the_ready_line_writes_the_cluster_file_and_sigterm_leaves_no_process()
    {
        await using var apphost = await AppHostProcess.StartAsync("--datanodes", "1");

        Assert.Matches(@"^http://127\.0\.0\.1:\d+/login\?t=[0-9a-f]+$", apphost.LoginUrl);
        var ready = Assert.Single(apphost.Output, l => l.StartsWith(AppHostProcess.ReadyPrefix, StringComparison.Ordinal));
        Assert.Matches(@"^PyHDFS ready: namenode=http://127\.0\.0\.1:\d+$", ready);
        var cluster = apphost.ClusterFile;
        Assert.Equal(apphost.Process.Id, cluster.AppHostPid);
        Assert.Equal(ready[AppHostProcess.ReadyPrefix.Length..], Assert.Single(cluster.NameNodes));
        Assert.Equal(new Uri(apphost.LoginUrl).GetLeftPart(UriPartial.Authority), cluster.Dashboard);
        Assert.Matches("^[0-9a-f]{32}$", cluster.DashboardApiKey ?? "");
        Assert.Matches("^[0-9a-f]{32}$", cluster.OtlpApiKey ?? "");
        var dataClusterFile = Path.Combine(apphost.DataDirectory, "cluster.json");
        Assert.Equal(File.ReadAllText(apphost.ClusterFilePath), File.ReadAllText(dataClusterFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(apphost.ClusterFilePath)); // it holds the dashboard's keys
        var processes = ClusterProcesses.Of(apphost.Process.Id);
        AssertWholeCluster(processes, dataNodes: 1);

        ProcessTree.Signal(apphost.Process.Id, ProcessTree.SigTerm);
        using (var deadline = new CancellationTokenSource(SigTermDeadline))
        {
            await apphost.Process.WaitForExitAsync(deadline.Token);
        }
        var survivors = await AppHostProcess.SurvivorsAfterAsync(processes, SigTermDeadline);

        Assert.True(survivors.Count == 0, "outlived the AppHost's SIGTERM:\n" + string.Join("\n", survivors));
        Assert.Equal(0, apphost.Process.ExitCode);
        Assert.False(File.Exists(apphost.ClusterFilePath), "the cluster file was left behind");
        Assert.False(File.Exists(dataClusterFile), "DATA/cluster.json was left behind");
    }

    [Fact]
    public async Task After_sigkill_of_the_apphost_no_process_of_the_cluster_is_left()
    {
        await using var apphost = await AppHostProcess.StartAsync("--datanodes", "1");
        var processes = ClusterProcesses.Of(apphost.Process.Id);
        AssertWholeCluster(processes, dataNodes: 1);

        ProcessTree.Signal(apphost.Process.Id, ProcessTree.SigKill);
        await apphost.Process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var survivors = await AppHostProcess.SurvivorsAfterAsync(processes, SigKillCleanup);

        Assert.True(survivors.Count == 0, $"still running {SigKillCleanup.TotalSeconds:0} s after kill -9 of the AppHost:\n" + string.Join("\n", survivors));
    }

    /// <summary>The snapshot must hold every kind of process, or "none left" would prove nothing.</summary>
    private static void AssertWholeCluster(IReadOnlyList<SeenProcess> processes, int dataNodes)
    {
        string Listing() => string.Join("\n", processes);
        int Count(string fragment) => processes.Count(p => p.CommandLine.Contains(fragment, StringComparison.Ordinal));
        Assert.True(Count("dcp start-apiserver") == 1, "no DCP API server:\n" + Listing());
        Assert.True(Count("Aspire.Dashboard") >= 1, "no dashboard:\n" + Listing());
        Assert.True(Count("redis-server") == 1, "no redis-server:\n" + Listing());
        foreach (var (service, expected) in new[] { ("Zookeeper", 1), ("Metadata", 1), ("NameNode", 1), ("DataNode", dataNodes) })
        {
            var binary = $"/bin/{RepositoryLayout.Current.Configuration}/{RepositoryLayout.TargetFramework}/PyHdfs.{service}";
            Assert.True(processes.Count(p => p.CommandLine.StartsWith(Path.Combine(RepositoryLayout.Current.Root, "services", "PyHdfs." + service) + binary, StringComparison.Ordinal)) == expected,
                $"expected {expected} PyHdfs.{service} process(es):\n" + Listing());
        }
    }
}
