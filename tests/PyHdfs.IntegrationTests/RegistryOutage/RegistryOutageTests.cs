using System.Diagnostics;
using System.Net;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.RegistryOutage;

/// <summary>Three DataNodes at replication 2, so a DataNode wrongly declared dead would have its blocks copied.</summary>
public sealed class RegistryOutageCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options) => options.Replication = 2;
}

/// <summary>
/// One NameNode: Redis plays no part in its role, and the DataNodes' heartbeats to it decide who is
/// alive, so a Redis outage (killed, stopped for a minute, back with or without its data) costs
/// the file system nothing (docs/registry.md, "What depends on Redis").
/// </summary>
public sealed class RegistryOutageTests(RegistryOutageCluster cluster) : IClassFixture<RegistryOutageCluster>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);
    private static readonly string[] DataNodes = ["datanode-1", "datanode-2", "datanode-3"];

    [Fact]
    public async Task Reads_and_writes_go_on_through_a_minute_without_redis_and_the_registry_converges_when_it_returns_with_or_without_its_data()
    {
        var epochBefore = (await RegistryProbes.HaStatusAsync(cluster, "namenode")).Epoch;
        await using var client = cluster.CreateClient();
        await using var workload = Workload.Start(client);
        await workload.AdvanceAsync(5, "before the outage");

        // kill -9: the AppHost's restart policy brings redis-server back by itself, on its append-only file.
        var killedPid = cluster.PidOf("redis");
        await cluster.KillAsync("redis");
        await Eventually.WaitUntilAsync(() => cluster.PidOf("redis") is { } pid && pid != killedPid, Converge, "redis-server restarted after kill -9");
        await WaitForConvergedRegistryAsync("after redis-server was killed and restarted");
        await workload.AdvanceAsync(3, "after the kill");

        // A clean stop (exit 0) is an operator's: it stays down, and the file system must not care for a minute.
        await cluster.StopAsync("redis");
        var outage = Stopwatch.StartNew();
        await Eventually.WaitUntilAsync(async () => (await RegistryProbes.HaStatusAsync(cluster, "namenode")).Registry.StartsWith("unreachable since", StringComparison.Ordinal),
            Converge, "the NameNode to report the registry unreachable");
        var zookeeperHealth = await RegistryProbes.HealthAsync(cluster, "zookeeper");
        Assert.Equal(HttpStatusCode.OK, zookeeperHealth.Status);
        Assert.StartsWith("degraded: redis unreachable since", zookeeperHealth.Body, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(async () => (await RegistryProbes.HealthAsync(cluster, "datanode-1")).Body.StartsWith("degraded: registry unreachable since", StringComparison.Ordinal),
            Converge, "datanode-1's /health to say the registry is unreachable");
        var roundsAtStart = workload.Rounds;
        while (outage.Elapsed < Outage && workload.Failures.Count == 0)
        {
            var stats = await client.GetFsStatsAsync(Dfs.Token);
            Assert.True(stats.LiveDataNodes == 3 && stats.DeadDataNodes == 0,
                $"{outage.Elapsed.TotalSeconds:0} s into the outage the NameNode counts {stats.LiveDataNodes} live and {stats.DeadDataNodes} dead DataNodes");
            Assert.Null(cluster.PidOf("redis"));
            await Task.Delay(TimeSpan.FromSeconds(1), Dfs.Token);
        }
        Assert.Empty(workload.Failures);
        Assert.True(workload.Rounds - roundsAtStart >= 10, $"only {workload.Rounds - roundsAtStart} workload rounds in {outage.Elapsed.TotalSeconds:0} s without redis");
        var ha = await RegistryProbes.HaStatusAsync(cluster, "namenode");
        Assert.Equal(("active", false, epochBefore), (ha.State, ha.HighAvailability, ha.Epoch));

        await cluster.StartAsync("redis");
        await WaitForConvergedRegistryAsync("after redis-server came back on its append-only file");
        await workload.AdvanceAsync(3, "after redis came back");

        // A Redis that lost its disk comes back empty: the DataNodes register again by themselves.
        await cluster.StopAsync("redis");
        RegistryProbes.WipeRedisData(cluster);
        await cluster.StartAsync("redis");
        await WaitForConvergedRegistryAsync("after redis-server came back empty");
        await workload.AdvanceAsync(3, "after redis came back empty");

        Assert.Empty(workload.Failures);
        Assert.True((await RegistryProbes.HaStatusAsync(cluster, "namenode")).Epoch >= epochBefore);
        Assert.DoesNotContain(cluster.Logs.Of("namenode"), line => line.Contains(" is dead", StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Logs.Of("namenode"), line => line.Contains("Re-replicating block", StringComparison.Ordinal));
        var fsck = await client.FsckAsync("/", Dfs.Token);
        Assert.True(fsck.Healthy && fsck.UnderReplicatedBlocks == 0 && fsck.MissingBlocks == 0,
            $"fsck: healthy={fsck.Healthy} under-replicated={fsck.UnderReplicatedBlocks} missing={fsck.MissingBlocks}");
    }

    private async Task WaitForConvergedRegistryAsync(string when)
    {
        await Eventually.WaitUntilAsync(async () => await RegistryProbes.RegisteredDataNodesAsync(cluster) is { } ids && ids.SequenceEqual(DataNodes),
            Converge, $"the registry to list every DataNode {when}");
        await Eventually.WaitUntilAsync(async () => (await RegistryProbes.HaStatusAsync(cluster, "namenode")).Registry == "reachable",
            Converge, $"the NameNode to reach the registry {when}");
        foreach (var resource in (string[])["zookeeper", "namenode", .. DataNodes])
        {
            await Eventually.WaitUntilAsync(async () => (await RegistryProbes.HealthAsync(cluster, resource)) is (HttpStatusCode.OK, "healthy"),
                Converge, $"{resource}'s /health to say healthy {when}");
        }
    }
}
