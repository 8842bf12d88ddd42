using System.Diagnostics;
using PyHdfs.Client;

namespace PyHdfs.Benchmarks;

/// <summary>N files of 4 KiB put, then got, through the library (one client, one file at a time).</summary>
public static class SmallFiles
{
    private const int FileSize = 4096;

    public static async Task RunAsync(BenchCluster cluster, Results results, int count)
    {
        Console.Error.WriteLine($"small files ({count} x 4 KiB)");
        var data = new byte[FileSize];
        Random.Shared.NextBytes(data);
        await using var client = cluster.CreateClient();
        await client.MkdirsAsync("/bench/small");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await using var output = await client.CreateAsync($"/bench/small/f{i}", new DfsCreateOptions { Overwrite = true });
            await output.WriteAsync(data);
            await output.CloseAsync();
        }
        results.Add("small_put", count / watch.Elapsed.TotalSeconds, "files/s");

        var buffer = new byte[FileSize * 2];
        watch.Restart();
        for (var i = 0; i < count; i++)
        {
            await using var input = await client.OpenAsync($"/bench/small/f{i}");
            var total = 0;
            int n;
            while ((n = await input.ReadAsync(buffer.AsMemory(total))) > 0)
            {
                total += n;
            }
            if (total != FileSize)
            {
                throw new InvalidOperationException($"/bench/small/f{i}: read {total} bytes");
            }
        }
        results.Add("small_get", count / watch.Elapsed.TotalSeconds, "files/s");
    }
}
