using System.Diagnostics;
using PyHdfs.Client;

namespace PyHdfs.Benchmarks;

/// <summary>Put and get of one large file at replication 1 and 3, through the library and the real CLI.</summary>
public sealed class Streaming(BenchCluster cluster, Results results)
{
    private const int ChunkSize = 1 << 20;

    private bool _allEvicted = true;

    public async Task RunAsync(IReadOnlyList<long> sizes)
    {
        var putLimit = Math.Min(results.Get("tcp_loopback"), results.Get("disk_write"));
        var getLimit = Math.Min(results.Get("tcp_loopback"), results.Get("disk_read"));
        foreach (var size in sizes)
        {
            var label = size >= Units.GiB ? $"{size / Units.GiB}g" : $"{size / Units.MiB}m";
            Console.Error.WriteLine($"streaming {label}");
            var local = Path.Combine(cluster.LocalDirectory, $"stream-{label}.bin");
            WriteLocalFile(local, size);
            foreach (var replication in new[] { 1, 3 })
            {
                var putBar = replication == 1 ? 0.60 : 0.25;
                var lib = $"/bench/stream/lib-{label}-r{replication}";
                var cpu = CpuTime.Total(cluster);
                var libPut = await LibraryPutAsync(lib, size, replication);
                AddCpu($"lib_put_{label}_r{replication}_cpu", CpuTime.Total(cluster) - cpu, size);
                AddRatio($"lib_put_{label}_r{replication}", Units.MBps(size, libPut), putLimit, putBar, "put");
                EvictReplicas();
                cpu = CpuTime.Total(cluster);
                var libGet = await LibraryGetAsync(lib, size);
                AddCpu($"lib_get_{label}_r{replication}_cpu", CpuTime.Total(cluster) - cpu, size);
                AddRatio($"lib_get_{label}_r{replication}", Units.MBps(size, libGet), getLimit, 0.70, "get");

                var cli = $"/bench/stream/cli-{label}-r{replication}";
                cpu = CpuTime.Total(cluster);
                var put = await RunCliAsync("put", "-f", "-r", replication.ToString(), local, cli);
                AddCpu($"cli_put_{label}_r{replication}_cpu", CpuTime.Total(cluster) - cpu + put.CpuSeconds, size);
                AddRatio($"cli_put_{label}_r{replication}", Units.MBps(size, put.Elapsed), putLimit, putBar, "put");
                AddPeak($"cli_put_{label}_r{replication}_peak_rss", put.PeakRss, size);
                EvictReplicas();
                cpu = CpuTime.Total(cluster);
                var get = await RunCliAsync("get", "-f", cli, local + ".copy");
                AddCpu($"cli_get_{label}_r{replication}_cpu", CpuTime.Total(cluster) - cpu + get.CpuSeconds, size);
                AddRatio($"cli_get_{label}_r{replication}", Units.MBps(size, get.Elapsed), getLimit, 0.70, "get");
                AddPeak($"cli_get_{label}_r{replication}_peak_rss", get.PeakRss, size);
                if (new FileInfo(local + ".copy").Length != size)
                {
                    throw new InvalidOperationException($"pyhdfs get {cli} returned a file of the wrong length");
                }
                File.Delete(local + ".copy");
            }
            File.Delete(local);
        }
        results.Add("get_replicas_evicted", _allEvicted ? 1 : 0, "bool");
        var dataNodePeak = cluster.DataNodeNames.Max(n => ProcStatus.PeakResidentBytes(cluster.Pid(n)));
        results.Add("datanode_peak_rss", Units.Mebibytes(dataNodePeak), "MiB");
    }

    /// <summary>Every get reads the replicas from the disk, like the cold <c>disk_read</c> it is compared with.</summary>
    private void EvictReplicas() => _allEvicted &= PageCache.EvictTrees(cluster.DataNodeNames.Select(cluster.DataNodeDirectory));

    private void AddRatio(string name, double mbps, double limit, double bar, string kind)
    {
        results.Add(name, mbps, "MB/s");
        var limitName = kind == "put" ? "min(tcp, disk write)" : "min(tcp, disk read)";
        results.AddWithBar(name + "_ratio", mbps / limit, "ratio", bar, atLeast: true, $">= {bar:0.##} of {limitName}");
    }

    /// <summary>CPU seconds per GiB moved, summed over the client (benchmark or CLI) and every cluster process.</summary>
    private void AddCpu(string name, double cpuSeconds, long size) => results.Add(name, cpuSeconds * Units.GiB / size, "CPU-s/GiB");

    private void AddPeak(string name, long bytes, long size)
    {
        if (size >= Units.GiB)
        {
            results.AddWithBar(name, Units.Mebibytes(bytes), "MiB", 256, atLeast: false, "<= 256 MiB for 1 GiB");
        }
        else
        {
            results.Add(name, Units.Mebibytes(bytes), "MiB");
        }
    }

    private static void WriteLocalFile(string path, long size)
    {
        var buffer = new byte[ChunkSize];
        Random.Shared.NextBytes(buffer);
        using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    private async Task<TimeSpan> LibraryPutAsync(string path, long size, int replication)
    {
        var buffer = new byte[ChunkSize];
        Random.Shared.NextBytes(buffer);
        await using var client = cluster.CreateClient();
        var watch = Stopwatch.StartNew();
        await using (var output = await client.CreateAsync(path, new DfsCreateOptions { Overwrite = true, Replication = replication }))
        {
            for (long written = 0; written < size; written += buffer.Length)
            {
                await output.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)));
            }
            await output.CloseAsync();
        }
        return watch.Elapsed;
    }

    private async Task<TimeSpan> LibraryGetAsync(string path, long size)
    {
        var buffer = new byte[ChunkSize];
        await using var client = cluster.CreateClient();
        var watch = Stopwatch.StartNew();
        long total = 0;
        await using (var input = await client.OpenAsync(path))
        {
            int n;
            while ((n = await input.ReadAsync(buffer)) > 0)
            {
                total += n;
            }
        }
        if (total != size)
        {
            throw new InvalidOperationException($"read {total} bytes of {path}, expected {size}");
        }
        return watch.Elapsed;
    }

    private Task<CliRun> RunCliAsync(params string[] args) => CliRun.RunAsync(cluster.NameNodeAddress, cluster.LocalDirectory, args);
}
