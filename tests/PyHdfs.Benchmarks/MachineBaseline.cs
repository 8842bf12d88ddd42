using System.Diagnostics;
using System.IO.Hashing;

namespace PyHdfs.Benchmarks;

/// <summary>The machine's limits, measured in the same run: loopback TCP, disk write/read, CRC32.</summary>
public static class MachineBaseline
{
    private const int BufferSize = 4 << 20;

    public static async Task RunAsync(Results results, string diskDirectory, long bytes)
    {
        Console.Error.WriteLine($"machine baseline ({Units.Mebibytes(bytes):0} MiB)");
        results.Add("tcp_loopback", await TcpSink.MeasureAsync(bytes), "MB/s");
        Directory.CreateDirectory(diskDirectory);
        var path = Path.Combine(diskDirectory, "baseline.bin");
        try
        {
            await WriteAsync(path, bytes, fsync: true); // warm-up: the first write of a fresh file pays for its allocation
            results.Add("disk_write", await WriteAsync(path, bytes, fsync: false), "MB/s");
            results.Add("disk_write_fsync", await WriteAsync(path, bytes, fsync: true), "MB/s");
            var dropped = PageCache.TryEvict(path);
            results.Add("disk_read_cache_dropped", dropped ? 1 : 0, "bool");
            results.Add("disk_read", await ReadAsync(path), "MB/s");
        }
        finally
        {
            File.Delete(path);
        }
        results.Add("crc32", Crc32Speed(), "MB/s");
    }

    private static async Task<double> WriteAsync(string path, long bytes, bool fsync)
    {
        var buffer = new byte[BufferSize];
        Random.Shared.NextBytes(buffer);
        var watch = Stopwatch.StartNew();
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            for (long written = 0; written < bytes; written += buffer.Length)
            {
                await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - written)));
            }
            if (fsync)
            {
                file.Flush(flushToDisk: true);
            }
        }
        return Units.MBps(bytes, watch.Elapsed);
    }

    private static async Task<double> ReadAsync(string path)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        var watch = Stopwatch.StartNew();
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            int n;
            while ((n = await file.ReadAsync(buffer)) > 0)
            {
                total += n;
            }
        }
        return Units.MBps(total, watch.Elapsed);
    }

    private static double Crc32Speed()
    {
        var buffer = new byte[BufferSize];
        Random.Shared.NextBytes(buffer);
        var crc = new Crc32();
        const int rounds = 64;
        crc.Append(buffer);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            crc.Append(buffer);
        }
        watch.Stop();
        GC.KeepAlive(crc.GetCurrentHashAsUInt32());
        return Units.MBps((long)rounds * buffer.Length, watch.Elapsed);
    }
}
