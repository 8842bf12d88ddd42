using System.Buffers.Binary;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Tests;

/// <summary>Hostile or broken peers lose their connection; the DataNode keeps serving the next client.</summary>
public sealed class ProtocolRobustnessTests : IAsyncLifetime
{
    private InProcessDataNode _node = null!;

    public async ValueTask InitializeAsync() =>
        _node = await InProcessDataNode.StartAsync("dn-robust", settings: new Dictionary<string, string> { ["DataNode:TransferIdleTimeoutMs"] = "1500" });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "random bytes", TestTransferClient.RandomBytes(4096, 99) },
        { "bad magic", TestTransferClient.Preamble(1, 0x50, 10, magic: "HTTP") },
        { "bad version", TestTransferClient.Preamble(9, 0x50, 10) },
        { "unknown opcode", TestTransferClient.Preamble(1, 0x7F, 10) },
        { "oversized header", TestTransferClient.Preamble(1, 0x50, 64 * 1024 * 1024) },
        { "malformed protobuf header", [.. TestTransferClient.Preamble(1, 0x50, 6), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "truncated preamble", "PYD"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_drops_the_connection_and_the_next_client_is_served(string what, byte[] bytes)
    {
        await using (var stream = await TestTransferClient.ConnectAsync(_node.Address))
        {
            await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
            if (what == "truncated preamble")
            {
                stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)), $"{what}: the DataNode kept the connection open");
        }
        await AssertServesAsync(900 + what.Length);
    }

    [Fact]
    public async Task Oversized_packet_header_drops_the_write_without_a_replica()
    {
        await using (var stream = await TestTransferClient.ConnectAsync(_node.Address))
        {
            await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, TestTransferClient.Header(31, 1001, 512), CancellationToken.None);
            var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TestTransferClient.Limits, CancellationToken.None);
            Assert.Equal(TransferStatus.Success, response.Status);
            var packet = new byte[PacketHeader.Size];
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(16), int.MaxValue);
            await stream.WriteAsync(packet, TestContext.Current.CancellationToken);
            Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
        }
        Assert.Null(ReplicaInspector.FindReplica(_node.DataDir, 31));
        await AssertServesAsync(32);
    }

    [Fact]
    public async Task Stalled_peer_is_disconnected_after_the_idle_timeout()
    {
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await stream.WriteAsync(TestTransferClient.Preamble(1, 0x50, 100), TestContext.Current.CancellationToken);

        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)), "a peer that stopped sending kept its connection");
    }

    [Fact]
    public async Task Connections_beyond_the_limit_wait_for_a_free_slot()
    {
        await using var node = await InProcessDataNode.StartAsync("dn-one-slot", settings: new Dictionary<string, string>
        {
            ["DataNode:MaxTransferConnections"] = "1",
            ["DataNode:TransferIdleTimeoutMs"] = "1500",
        });
        await using var staller = await TestTransferClient.ConnectAsync(node.Address);
        await staller.WriteAsync(TestTransferClient.Preamble(1, 0x50, 100), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var write = await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(36, 1001, 512), new byte[2000]);

        Assert.True(write.FullySucceeded);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1000), $"served after {clock.ElapsedMilliseconds} ms while the only slot was held");
        Assert.True(await TestTransferClient.ServerClosesAsync(staller, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Non_contiguous_packet_offset_is_rejected_with_an_error_ack()
    {
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, TestTransferClient.Header(33, 1001, 512), CancellationToken.None);
        await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TestTransferClient.Limits, CancellationToken.None);
        var data = new byte[512];
        var packet = new byte[PacketHeader.Size + 4 + 512];
        new PacketHeader(0, 1024, 512, PacketFlags.None).Write(packet);
        ChunkChecksums.Compute(data, 512, packet.AsSpan(PacketHeader.Size, 4));
        await stream.WriteAsync(packet, TestContext.Current.CancellationToken);

        var ack = await TransferFraming.ReadMessageAsync(stream, PipelineAck.Parser, TestTransferClient.Limits, CancellationToken.None);

        Assert.Equal(0, ack.Seqno);
        Assert.Equal([TransferStatus.ErrorInvalid], ack.Replies);
        Assert.Null(ReplicaInspector.FindReplica(_node.DataDir, 33));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public async Task Non_positive_block_ids_are_rejected_for_writes_and_reads(long blockId)
    {
        var write = await TestTransferClient.WriteAsync(_node.Address, TestTransferClient.Header(blockId, 1001, 512), new byte[100]);
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(blockId, 1001));

        Assert.Equal(TransferStatus.ErrorInvalid, write.Response.Status);
        Assert.Equal(TransferStatus.ErrorInvalid, read.Response.Status);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_node.DataDir, "current"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(0, "bytes_per_checksum")]
    [InlineData(100, "bytes_per_checksum")]
    [InlineData(1 << 20, "bytes_per_checksum")]
    public async Task Invalid_chunk_size_is_rejected(int bytesPerChecksum, string expected)
    {
        var write = await TestTransferClient.WriteAsync(_node.Address, TestTransferClient.Header(34, 1001, bytesPerChecksum), new byte[100]);

        Assert.Equal(TransferStatus.ErrorInvalid, write.Response.Status);
        Assert.Contains(expected, write.Response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_downstream_nodes_are_rejected()
    {
        var downstream = Enumerable.Range(0, 17).Select(i => new DataNodeAddress { Id = $"x{i}", Host = "127.0.0.1", DataPort = 1 }).ToArray();
        var write = await TestTransferClient.WriteAsync(_node.Address, TestTransferClient.Header(35, 1001, 512, downstream), new byte[100]);

        Assert.Equal(TransferStatus.ErrorInvalid, write.Response.Status);
    }

    private async Task AssertServesAsync(long blockId)
    {
        var data = TestTransferClient.RandomBytes(3000, (int)blockId);
        var write = await TestTransferClient.WriteAsync(_node.Address, TestTransferClient.Header(blockId, 1001, 512), data);
        Assert.True(write.FullySucceeded, "the DataNode no longer serves writes");
        var read = await TestTransferClient.ReadAsync(_node.Address, TestTransferClient.ReadHeader(blockId, 1001));
        Assert.Equal(data, read.Data);
    }
}
