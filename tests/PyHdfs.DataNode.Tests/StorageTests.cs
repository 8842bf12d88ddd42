using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

public sealed class StorageTests
{
    [Fact]
    public async Task Restart_serves_finalized_replicas_drops_abandoned_writes_and_keeps_its_identity()
    {
        using var dir = new TempDirectory("pyhdfs-dn-restart");
        var data = TestTransferClient.RandomBytes(200_000, 30);
        string firstId;
        await using (var node = await InProcessDataNode.StartAsync(dataDir: dir.Path))
        {
            firstId = node.Id;
            Assert.StartsWith("dn-", firstId, StringComparison.Ordinal);
            Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(700, 1001, 512), data)).FullySucceeded);
        }
        var rbw = Path.Combine(dir.Path, "current", "rbw");
        await File.WriteAllBytesAsync(Path.Combine(rbw, "blk_701"), new byte[100], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(rbw, "blk_701_1001.meta"), new byte[12], TestContext.Current.CancellationToken);

        await using (var node = await InProcessDataNode.StartAsync(dataDir: dir.Path))
        {
            Assert.Equal(firstId, node.Id);
            Assert.Empty(Directory.EnumerateFiles(rbw));
            var read = await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(700, 1001));
            Assert.Equal(data, read.Data);
            Assert.Equal(TransferStatus.ErrorNotFound, (await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(701, 1001))).Response.Status);
        }
    }

    [Fact]
    public async Task Inspector_detects_a_flipped_byte_on_disk()
    {
        await using var node = await InProcessDataNode.StartAsync("dn-inspect");
        var data = TestTransferClient.RandomBytes(10_000, 31);
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(710, 1001, 1024), data)).FullySucceeded);
        var replica = ReplicaInspector.FindReplica(node.DataDir, 710)!;
        Assert.True(ReplicaInspector.VerifyChecksums(replica));
        Assert.Equal(Path.Combine(node.DataDir, "current", "finalized", "subdir2", "blk_710_1001.meta"), replica.MetaPath);

        await using (var file = new FileStream(replica.DataPath, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 5000;
            var b = file.ReadByte();
            file.Position = 5000;
            file.WriteByte((byte)(b ^ 1));
        }

        Assert.False(ReplicaInspector.VerifyChecksums(replica));
        Assert.Equal(4, ReplicaInspector.FindFirstCorruptChunk(replica));
    }

    [Fact]
    public void Inspector_rejects_non_positive_block_ids()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaInspector.FindReplica(dir.Path, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaInspector.FindReplica(dir.Path, -7));
        Assert.Null(ReplicaInspector.FindReplica(dir.Path, 7));
    }

    [Fact]
    public async Task Configured_capacity_is_advertised_and_used_bytes_follow_the_replicas()
    {
        await using var node = await InProcessDataNode.StartAsync("dn-capacity", settings: new Dictionary<string, string> { ["DataNode:CapacityBytes"] = "1000000" });
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(720, 1001, 512), new byte[300_000])).FullySucceeded);

        var store = (ReplicaStore)node.App.Services.GetService(typeof(ReplicaStore))!;

        Assert.Equal(1_000_000, store.CapacityBytes);
        Assert.Equal(300_000, store.UsedBytes);
        Assert.Equal(700_000, store.RemainingBytes);
        Assert.Equal(1, store.BlockCount);
    }
}
