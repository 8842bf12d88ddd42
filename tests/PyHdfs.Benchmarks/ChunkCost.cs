using System.Diagnostics;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.DataTransfer.Hadoop;

namespace PyHdfs.Benchmarks;

/// <summary>
/// In-process measurement for the block-transfer decision (docs/hadoop.md, "Block transfer"):
/// CPU-seconds per GiB to checksum and frame 256 MiB as Hadoop packets (512-byte CRC32 chunks,
/// 64 KiB packets) versus our packets (64 KiB CRC32 chunks). No cluster, no I/O.
/// </summary>
public static class ChunkCost
{
    public const string Mode = "chunk-cost";
    private const int PacketData = 64 * 1024;
    private const long TotalBytes = 256L * 1024 * 1024;

    public static int Run()
    {
        var data = new byte[PacketData];
        new Random(28).NextBytes(data);
        Measure("warm-up", data, 512, hadoopFraming: true, quiet: true);
        Measure("warm-up", data, 64 * 1024, hadoopFraming: false, quiet: true);
        for (var round = 1; round <= 3; round++)
        {
            Measure($"round {round}: ours 64 KiB CRC32 chunks + packet header", data, 64 * 1024, hadoopFraming: false);
            Measure($"round {round}: hadoop 512 B CRC32 chunks + packet header", data, 512, hadoopFraming: true);
        }
        return 0;
    }

    private static void Measure(string name, byte[] data, int bytesPerChecksum, bool hadoopFraming, bool quiet = false)
    {
        var checksums = new byte[ChunkChecksums.CountFor(data.Length, bytesPerChecksum) * ChunkChecksums.ChecksumSize];
        var header = new byte[64];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (long offset = 0, seqNo = 0; offset < TotalBytes; offset += data.Length, seqNo++)
        {
            ChunkChecksums.Compute(data, bytesPerChecksum, checksums);
            if (hadoopFraming)
                new HadoopPacketHeader(offset, seqNo, false, data.Length, false).WriteFrame(header, bytesPerChecksum);
            else
                new PacketHeader(seqNo, offset, data.Length, PacketFlags.None).Write(header);
        }
        Report(name, Process.GetCurrentProcess().TotalProcessorTime - cpu, wall.Elapsed, quiet);
    }

    private static void Report(string name, TimeSpan cpu, TimeSpan wall, bool quiet)
    {
        if (quiet)
            return;
        var gib = TotalBytes / (1024.0 * 1024 * 1024);
        Console.WriteLine($"{name}: {cpu.TotalSeconds / gib:F3} CPU-s/GiB, {wall.TotalSeconds / gib:F3} wall-s/GiB ({TotalBytes / (1024 * 1024)} MiB)");
    }
}
