using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Failures;

/// <summary>setrep up and down converges; fsck and admin report tell a healthy cluster from one with missing blocks.</summary>
public sealed class ReplicationFactorAndFsckTests(FailureCluster cluster) : IClassFixture<FailureCluster>
{
    [Fact]
    public async Task Setrep_up_and_down_converges_on_the_disks()
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var path = UniquePath("setrep") + "/file.bin";
        var data = Random(2 * MiB + 17, seed: 401);
        await Dfs.WriteAsync(cluster.Client, path, data);
        await Replicas.WaitForFactorAsync(cluster, [path], 2, "written with factor 2");

        var up = await cluster.RunCliAsync("setrep", "3", path);
        Assert.True(up.ExitCode == 0, up.ToString());
        await Replicas.WaitForFactorAsync(cluster, [path], 3, "setrep 3");
        Assert.Equal(3, (await cluster.Client.GetFileStatusAsync(path, Dfs.Token)).MinLiveReplicas);

        var down = await cluster.RunCliAsync("setrep", "1", path);
        Assert.True(down.ExitCode == 0, down.ToString());
        await Replicas.WaitForFactorAsync(cluster, [path], 1, "setrep 1");
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
    }

    [Fact]
    public async Task Fsck_says_healthy_then_corrupt_when_the_only_replica_is_lost_and_admin_report_shows_the_dead_node()
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var root = UniquePath("fsck");
        var healthyData = Random(MiB + 3, seed: 411);
        await Dfs.WriteAsync(cluster.Client, root + "/healthy.bin", healthyData);
        await Replicas.WaitForFactorAsync(cluster, [root + "/healthy.bin"], 2, "written");

        var healthy = await cluster.RunCliAsync("fsck", root);
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Equal("HEALTHY", LastLine(healthy));
        var report = await cluster.RunCliAsync("admin", "report");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains($"{cluster.Options.DataNodes} live, 0 dead", report.StdoutText, StringComparison.Ordinal);

        await Dfs.WriteAsync(cluster.Client, root + "/single.bin", Random(1000, seed: 412), new Client.DfsCreateOptions { Replication = 1 });
        var holder = Assert.Single(Assert.Single(await Replicas.BlocksAsync(cluster, root + "/single.bin")).Locations).Id;
        await cluster.KillAsync(holder);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes - 1);

        var corrupt = await cluster.RunCliAsync("fsck", root);
        Assert.True(corrupt.ExitCode == 1, corrupt.ToString());
        Assert.Equal("CORRUPT", LastLine(corrupt));
        Assert.Contains(root + "/single.bin", corrupt.StdoutText, StringComparison.Ordinal);
        Assert.Contains("MISSING", corrupt.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Missing blocks: 1", corrupt.StdoutText, StringComparison.Ordinal);
        // The cluster-wide count also includes blocks of other tests' files that lived only on the killed node
        // (setrep 1 above), so this test's own missing block sets a lower bound, not an exact figure.
        Assert.InRange((await cluster.Client.GetFsStatsAsync(Dfs.Token)).MissingBlocks, 1, long.MaxValue);
        var dead = await cluster.RunCliAsync("admin", "report");
        Assert.True(dead.ExitCode == 0, dead.ToString());
        Assert.Contains($"{cluster.Options.DataNodes - 1} live, 1 dead", dead.StdoutText, StringComparison.Ordinal);
        Assert.Contains(dead.StdoutText.Split('\n'), l => l.StartsWith(holder, StringComparison.Ordinal) && l.Contains(" dead ", StringComparison.Ordinal));

        await cluster.StartAsync(holder);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        await Eventually.WaitUntilAsync(async () => (await cluster.RunCliAsync("fsck", root)).ExitCode == 0, Replicas.Deadline,
            "fsck healthy again once the holder is back", TimeSpan.FromMilliseconds(500));
        Dfs.AssertSameBytes(healthyData, await Dfs.ReadAllAsync(cluster.Client, root + "/healthy.bin"), "healthy.bin");
    }

    private static string LastLine(CliResult result) => result.StdoutText.TrimEnd().Split('\n')[^1].Trim();
}
