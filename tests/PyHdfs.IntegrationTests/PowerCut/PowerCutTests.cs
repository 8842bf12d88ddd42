using PyHdfs.Client;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.PowerCut;

/// <summary>One cluster for the power-cut test alone: it is cut and started again several times.</summary>
public sealed class PowerCutCluster : PyHdfsCluster;

/// <summary>
/// Issue 12 item 5: every process of the cluster SIGKILLed at the same instant during writes, the AppHost started
/// again on the same data directory — every acknowledged put reads back byte-identical, an interrupted one is
/// absent or byte-identical, and fsck is healthy once the DataNodes reported. Three cuts with different seeds
/// (moment of the cut, file sizes), each checking everything written since the first.
/// </summary>
public sealed class PowerCutTests(PowerCutCluster cluster) : IClassFixture<PowerCutCluster>
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Nothing_acknowledged_is_lost_and_nothing_partial_appears_across_repeated_power_cuts()
    {
        var root = UniquePath("power-cut");
        var ledger = new PutLedger();
        foreach (var seed in (int[])[11, 23, 37])
        {
            var moment = new Random(seed);
            await using (var workload = new PutWorkload(cluster, root, seed, ledger))
            {
                var ackedBefore = ledger.Acknowledged.Count;
                var target = ackedBefore + 3 + moment.Next(8);
                await Eventually.WaitUntilAsync(() => ledger.Acknowledged.Count >= target || workload.Unexpected.Count > 0,
                    TimeSpan.FromSeconds(90), $"{target - ackedBefore} puts acknowledged before cut {seed}");
                Assert.Empty(workload.Unexpected);
                // A seeded moment in the middle of the writers' next puts, not after any particular one.
                await Task.Delay(moment.Next(300), Dfs.Token);
                Assert.NotEmpty(ledger.InFlight);
                await workload.CutAsync();
                await cluster.PowerCutAsync();
            }
            await cluster.StartAgainAsync();
            await AssertThePromiseAsync(root, ledger, seed);
        }
    }

    private async Task AssertThePromiseAsync(string root, PutLedger ledger, int seed)
    {
        await using var client = cluster.CreateClient();
        foreach (var (path, data) in ledger.Acknowledged)
        {
            // Block locations come back with the DataNodes' block reports after the restart.
            var read = await Eventually.WaitForAsync(async () => await Dfs.ReadAllAsync(client, path), Recovery,
                $"acknowledged {path} ({data.Length} bytes) readable after cut {seed}");
            Dfs.AssertSameBytes(data, read, $"acknowledged {path} after cut {seed}");
        }
        foreach (var (path, data) in ledger.InFlight)
        {
            if (await client.TryGetFileStatusAsync(path, Dfs.Token) is { } status)
            {
                var read = await Eventually.WaitForAsync(async () => await Dfs.ReadAllAsync(client, path), Recovery,
                    $"interrupted {path} ({status.Length} of {data.Length} bytes visible) readable after cut {seed}");
                Dfs.AssertSameBytes(data, read, $"interrupted but visible {path} after cut {seed}");
            }
        }
        var expected = ledger.Acknowledged.Keys.Concat(ledger.InFlight.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in await Dfs.ListNamesAsync(client, root))
        {
            foreach (var name in await Dfs.ListNamesAsync(client, $"{root}/{directory}"))
            {
                Assert.True(expected.Contains($"{root}/{directory}/{name}"), $"{root}/{directory}/{name} exists but was never put (cut {seed})");
            }
        }
        await Eventually.WaitUntilAsync(async () => await client.FsckAsync("/", Dfs.Token) is { Healthy: true, MissingBlocks: 0, CorruptBlocks: 0 },
            Recovery, $"fsck HEALTHY after cut {seed}");
    }
}
