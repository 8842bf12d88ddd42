using System.Diagnostics;
using PyHdfs.IntegrationTests.HighAvailability;
using PyHdfs.Protocol;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.RegistryOutage;

/// <summary>
/// Two NameNodes without Redis: the active keeps serving while the metadata service still accepts
/// its epoch; the standby cannot be elected, so it waits, and says why, even when the active dies;
/// once Redis is back the standby takes over as after any failover (docs/ha.md, "When Redis is down").
/// </summary>
public sealed class HaRegistryOutageTests(HaCluster cluster) : IClassFixture<HaCluster>
{
    private static readonly TimeSpan RoleTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(3000);

    [Fact]
    public async Task Without_redis_the_active_keeps_serving_the_standby_never_takes_over_and_after_it_returns_the_standby_does()
    {
        var (active, standby, before) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        await using var client = cluster.CreateClient();
        await using (var workload = Workload.Start(client))
        {
            await workload.AdvanceAsync(3, "before the outage");
            await cluster.StopAsync("redis");

            // Five leases without the registry: no renewal can succeed, and still nothing changes hands.
            await Eventually.WaitUntilAsync(async () => (await RegistryProbes.HaStatusAsync(cluster, active)).Registry.StartsWith("unreachable", StringComparison.Ordinal),
                RoleTimeout, $"{active} to report the registry unreachable");
            var watched = Stopwatch.StartNew();
            while (watched.Elapsed < 5 * Lease && workload.Failures.Count == 0)
            {
                var (activeState, standbyState) = ((await cluster.StatusOfAsync(active))?.State, (await cluster.StatusOfAsync(standby))?.State);
                Assert.True((activeState, standbyState) == ("active", "standby"),
                    $"{watched.Elapsed.TotalSeconds:0.0} s without redis: {active} is {activeState}, {standby} is {standbyState}");
                await Task.Delay(TimeSpan.FromMilliseconds(250), Dfs.Token);
            }
            await workload.AdvanceAsync(3, "with redis down");
            Assert.Empty(workload.Failures);
        }

        await cluster.KillAsync(active);
        await using (var standbyOnly = cluster.ClientOf(standby))
        {
            var refused = await Dfs.AssertFailsAsync(() => standbyOnly.MkdirsAsync(UniquePath("no-leader"), true, Dfs.Token), ErrorKind.StandbyNamenode);
            Assert.Contains("registry is unreachable", refused.Message, StringComparison.Ordinal);
            Assert.Contains("no NameNode can be elected", refused.Message, StringComparison.Ordinal);
        }
        var leaderless = Stopwatch.StartNew();
        while (leaderless.Elapsed < 3 * Lease)
        {
            Assert.Equal("standby", (await cluster.StatusOfAsync(standby))?.State);
            await Task.Delay(TimeSpan.FromMilliseconds(250), Dfs.Token);
        }

        await cluster.StartAsync("redis");
        var back = Stopwatch.StartNew();
        try
        {
            await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(standby))?.State == "active", RoleTimeout, $"{standby} to take over once redis is back");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {standby} said:\n  {string.Join("\n  ", cluster.Logs.Of(standby).TakeLast(25))}\n" +
                $"zookeeper said:\n  {string.Join("\n  ", cluster.Logs.Of("zookeeper").TakeLast(15))}", e);
        }
        var takeover = back.Elapsed;
        Console.WriteLine($"[HA] takeover after redis returned (start of redis -> {standby} active): {takeover.TotalMilliseconds:0} ms");
        var after = await cluster.StatusOfAsync(standby);
        Assert.True(after!.Epoch > before.Epoch, $"epoch {after.Epoch} after the takeover, {before.Epoch} before");
        Assert.True(takeover < TimeSpan.FromSeconds(30), $"the takeover took {takeover.TotalSeconds:0.0} s after redis returned");

        await cluster.StartAsync(active);
        var (_, _, status) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        Assert.Equal(after.Epoch, status.Epoch);
        var path = UniquePath("after-outage");
        await client.MkdirsAsync(path, true, Dfs.Token);
        Assert.NotNull(await client.TryGetFileStatusAsync(path, Dfs.Token));
    }
}
