using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Tests;

public sealed class ReadBlockTests : IAsyncLifetime
{
    private const long BlockId = 5000;
    private InProcessDataNode _node = null!;
    private readonly byte[] _data = TestTransferClient.RandomBytes((1024 * 1024) + 777, seed: 10);

    public async ValueTask InitializeAsync()
    {
        _node = await InProcessDataNode.StartAsync("dn-read");
        var outcome = await TestTransferClient.WriteAsync(_node.Address, TestTransferClient.Header(BlockId, 1005, 1024), _data, packetBytes: 100 * 1024);
        Assert.True(outcome.FullySucceeded);
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(1023, 2)]
    [InlineData(1024, 1024)]
    [InlineData(1500, 300_000)]
    [InlineData(262_143, 262_146)]
    [InlineData(1_048_577, 0)]
    [InlineData(1_049_000, 0)]
    public async Task Reads_any_range_with_verified_chunks(long offset, long length)
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(BlockId, 1005, offset, length));

        Assert.Equal(TransferStatus.Success, read.Response.Status);
        Assert.Equal(1024, read.Response.BytesPerChecksum);
        Assert.Equal(offset - (offset % 1024), read.Response.ChunkOffset);
        Assert.Equal(_data.Length, read.Response.ReplicaLength);
        var end = length == 0 ? _data.Length : offset + length;
        Assert.True(_data.AsSpan((int)offset, (int)(end - offset)).SequenceEqual(read.Data), "bytes differ");
    }

    [Fact]
    public async Task Long_reads_are_split_into_packets_of_at_most_256_KiB()
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(BlockId, 1005));

        Assert.Equal((_data.Length + (256 * 1024) - 1) / (256 * 1024), read.PacketCount);
    }

    [Fact]
    public async Task Read_of_a_newer_replica_than_requested_succeeds()
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(BlockId, 1000, 0, 10));

        Assert.Equal(TransferStatus.Success, read.Response.Status);
        Assert.Equal(_data.AsSpan(0, 10).ToArray(), read.Data);
    }

    [Fact]
    public async Task Missing_block_answers_not_found_naming_the_block()
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(424242, 1005));

        Assert.Equal(TransferStatus.ErrorNotFound, read.Response.Status);
        Assert.Contains("blk_424242", read.Response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stale_generation_stamp_answers_not_found()
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(BlockId, 1006));

        Assert.Equal(TransferStatus.ErrorNotFound, read.Response.Status);
        Assert.Contains("stale", read.Response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2_000_000, 0)]
    [InlineData(0, 2_000_000)]
    [InlineData(-1, 10)]
    [InlineData(0, -5)]
    public async Task Range_outside_the_replica_is_invalid(long offset, long length)
    {
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(BlockId, 1005, offset, length));

        Assert.Equal(TransferStatus.ErrorInvalid, read.Response.Status);
    }
}
