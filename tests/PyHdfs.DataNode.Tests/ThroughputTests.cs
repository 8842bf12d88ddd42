using System.Diagnostics;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Tests;

/// <summary>Loopback throughput; run with PYHDFS_PERF=1 (it moves a GiB, too heavy for every run).</summary>
public sealed class ThroughputTests
{
    public static bool Enabled => Environment.GetEnvironmentVariable("PYHDFS_PERF") == "1";

    [Fact(Skip = "set PYHDFS_PERF=1 to measure throughput", SkipUnless = nameof(Enabled))]
    public async Task Pipeline_write_and_read_throughput()
    {
        var nodes = await InProcessDataNode.StartManyAsync(3);
        try
        {
            var data = TestTransferClient.RandomBytes(128 * 1024 * 1024, 50);
            for (var round = 0; round < 4; round++)
            {
                var header = round % 2 == 0
                    ? TestTransferClient.Header(1_000_000 + round, 1001, 64 * 1024)
                    : TestTransferClient.Header(1_000_000 + round, 1001, 64 * 1024, nodes[1].Address, nodes[2].Address);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var kernel = Process.GetCurrentProcess().PrivilegedProcessorTime;
                var clock = Stopwatch.StartNew();
                var outcome = await TestTransferClient.WriteAsync(nodes[0].Address, header, data, packetBytes: 1024 * 1024);
                var write = clock.Elapsed;
                var writeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine($"round {round}: write used {writeCpu.TotalSeconds:0.00} CPU-s in {write.TotalSeconds:0.00} s: {data.Length / writeCpu.TotalSeconds / 1e6:0} MB per CPU-second (client + all nodes), kernel {(Process.GetCurrentProcess().PrivilegedProcessorTime - kernel).TotalSeconds:0.00} CPU-s");
                Assert.True(outcome.FullySucceeded);
                clock.Restart();
                var read = await TestTransferClient.ReadAsync(nodes[0].Address, TestTransferClient.ReadHeader(1_000_000 + round, 1001));
                var readTime = clock.Elapsed;
                Assert.Equal(TransferStatus.Success, read.Response.Status);
                clock.Restart();
                var drained = await DrainAsync(nodes[0].Address, TestTransferClient.ReadHeader(1_000_000 + round, 1001));
                var drainTime = clock.Elapsed;
                Console.WriteLine($"round {round}: raw drain {drained / drainTime.TotalSeconds / 1e6:0} MB/s");
                Console.WriteLine($"round {round}: {header.Downstream.Count + 1}-node pipeline write {data.Length / write.TotalSeconds / 1e6:0} MB/s, read {data.Length / readTime.TotalSeconds / 1e6:0} MB/s");
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<long> DrainAsync(PyHdfs.Protocol.DataNodeAddress node, PyHdfs.Protocol.DataTransfer.ReadBlockHeader header)
    {
        await using var stream = await TestTransferClient.ConnectAsync(node);
        await TransferFraming.WriteOpAsync(stream, Opcode.ReadBlock, header, CancellationToken.None);
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            total += n;
        }
        return total;
    }
}
