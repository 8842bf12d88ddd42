using System.Diagnostics;
using PyHdfs.Client;

namespace PyHdfs.Benchmarks;

/// <summary>
/// mkdir, create-empty-file (create + close), stat, list and rename with 1, 8 and 64 concurrent
/// clients, each a task with its own DfsClient; ops/s over the whole level and p50/p99 latency.
/// </summary>
public sealed class MetadataRate(BenchCluster cluster, Results results)
{
    private static readonly string[] Operations = ["mkdir", "create", "stat", "list", "rename"];

    public async Task RunAsync(int opsPerLevel)
    {
        foreach (var clients in new[] { 1, 8, 64 })
        {
            Console.Error.WriteLine($"metadata with {clients} clients ({opsPerLevel} ops each kind)");
            var perClient = Math.Max(1, opsPerLevel / clients);
            var pool = new DfsClient[clients];
            for (var t = 0; t < clients; t++)
            {
                pool[t] = cluster.CreateClient();
                await pool[t].MkdirsAsync(Dir(clients, t));
            }
            await pool[0].MkdirsAsync($"/bench/meta/c{clients}/listed");
            for (var i = 0; i < 10; i++)
            {
                await pool[0].MkdirsAsync($"/bench/meta/c{clients}/listed/e{i}");
            }
            try
            {
                foreach (var op in Operations)
                {
                    await RunLevelAsync(pool, clients, perClient, op);
                }
            }
            finally
            {
                foreach (var client in pool)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }

    private static string Dir(int clients, int t) => $"/bench/meta/c{clients}/t{t}";

    private async Task RunLevelAsync(DfsClient[] pool, int clients, int perClient, string op)
    {
        var latencies = new double[clients][];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(t => Task.Run(async () =>
        {
            var client = pool[t];
            var dir = Dir(clients, t);
            var mine = new double[perClient];
            for (var i = 0; i < perClient; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await OneAsync(client, op, dir, clients, i);
                mine[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            latencies[t] = mine;
        })));
        watch.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = all.Length / watch.Elapsed.TotalSeconds;
        var name = $"meta_{op}_c{clients}";
        if (clients == 64 && op is "stat" or "create")
        {
            var bar = op == "stat" ? 20_000 : 5_000;
            results.AddWithBar(name, rate, "ops/s", bar, atLeast: true, $">= {bar} ops/s at 64 clients");
        }
        else
        {
            results.Add(name, rate, "ops/s");
        }
        results.Add(name + "_p50", Percentile(all, 0.50), "ms");
        results.Add(name + "_p99", Percentile(all, 0.99), "ms");
    }

    private static async Task OneAsync(DfsClient client, string op, string dir, int clients, int i)
    {
        switch (op)
        {
            case "mkdir":
                await client.MkdirsAsync($"{dir}/d{i}", createParent: false);
                break;
            case "create":
                await using (var output = await client.CreateAsync($"{dir}/f{i}", new DfsCreateOptions { CreateParent = false }))
                {
                    await output.CloseAsync();
                }
                break;
            case "stat":
                await client.GetFileStatusAsync($"{dir}/f{i}");
                break;
            case "list":
                await foreach (var entry in client.ListAsync($"/bench/meta/c{clients}/listed"))
                {
                    GC.KeepAlive(entry);
                }
                break;
            default:
                await client.RenameAsync($"{dir}/f{i}", $"{dir}/r{i}");
                break;
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
