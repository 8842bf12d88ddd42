using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

/// <summary>The block scanner reports replicas corrupted on disk; full block reports repeat at the NameNode's interval.</summary>
public sealed class ScannerAndReportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static Dictionary<string, string> Wiring(FakeControlPlane plane, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["services:zookeeper:grpc:0"] = plane.Address,
            ["services:namenode:grpc:0"] = plane.Address,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task The_scanner_reports_a_replica_corrupted_on_disk_and_only_that_one()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        await using var node = await InProcessDataNode.StartAsync("dn-scan", settings: Wiring(plane,
            ("DataNode:ScannerIntervalMs", "100"), ("DataNode:ScannerBytesPerSecond", "104857600")));
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(700, 1001, 512), TestTransferClient.RandomBytes(50_000, 1))).FullySucceeded);
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(701, 1002, 512), TestTransferClient.RandomBytes(50_000, 2))).FullySucceeded);
        var scanner = node.App.Services.GetServices<IHostedService>().OfType<BlockScanner>().Single();
        await Eventually.WaitUntilAsync(() => scanner.ReplicasScanned >= 4, Timeout, "two passes over both replicas");
        Assert.Empty(plane.Record.BadReplicas);

        var replica = ReplicaInspector.FindReplica(node.DataDir, 701)!;
        await using (var file = new FileStream(replica.DataPath, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 1234;
            file.WriteByte((byte)(file.ReadByte() ^ 0x5A));
        }

        var bad = await Eventually.WaitForAsync(() => Task.FromResult(plane.Record.BadReplicas.FirstOrDefault()), Timeout, "ReportBadBlocks from the scanner");
        Assert.Equal((701L, 1002L, "dn-scan"), (bad.Block.BlockId, bad.Block.GenerationStamp, bad.DatanodeId));
        Assert.Contains("checksum mismatch", bad.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(plane.Record.BadReplicas, r => r.Block.BlockId == 700);
    }

    [Fact]
    public async Task Full_block_reports_repeat_at_the_interval_the_namenode_asked_for()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        plane.Record.BlockReportIntervalMs = 300;
        await using var node = await InProcessDataNode.StartAsync("dn-reports", settings: Wiring(plane));
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(710, 1001, 512), new byte[3000])).FullySucceeded);

        await Eventually.WaitUntilAsync(() => plane.Record.BlockReports.Count(r => r.Blocks.Any(b => b.BlockId == 710)) >= 2, Timeout,
            "periodic full reports listing blk_710");
    }
}
