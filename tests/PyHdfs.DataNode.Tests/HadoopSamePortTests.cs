using Google.Protobuf;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.DataNode.Tests;

/// <summary>Hadoop's op header is recognised on the same port as ours: ops we do not serve and garbage are dropped, errors name the block.</summary>
public sealed class HadoopSamePortTests : IAsyncLifetime
{
    private InProcessDataNode _node = null!;

    public async ValueTask InitializeAsync() =>
        _node = await InProcessDataNode.StartAsync("dn-hadoop-port", settings: new Dictionary<string, string> { ["DataNode:TransferIdleTimeoutMs"] = "1500" });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Hadoop_unknown_op_drops_the_connection()
    {
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, 82 }, TestContext.Current.CancellationToken);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Hadoop_read_of_a_block_this_node_lacks_gets_an_error_naming_the_block()
    {
        var token = TestContext.Current.CancellationToken;
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        var op = new OpReadBlockProto
        {
            Header = new ClientOperationHeaderProto
            {
                BaseHeader = new BaseHeaderProto { Block = new ExtendedBlockProto { PoolId = "pyhdfs", BlockId = 4242, GenerationStamp = 1, NumBytes = 10 } },
                ClientName = "test",
            },
            Offset = 0,
            Len = 10,
        };
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, 81 }, token);
        op.WriteDelimitedTo(stream);
        await stream.FlushAsync(token);

        var reply = BlockOpResponseProto.Parser.ParseDelimitedFrom(stream);
        Assert.Equal(DataTransferStatus.Error, reply.Status);
        Assert.Contains("blk_4242_1", reply.Message, StringComparison.Ordinal);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Hadoop_op_with_a_malformed_body_drops_the_connection(byte op, byte[] body)
    {
        var token = TestContext.Current.CancellationToken;
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, op }, token);
        await stream.WriteAsync(body, token);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }

    public static TheoryData<byte, byte[]> MalformedBodies()
    {
        byte[][] bodies =
        [
            [0xff, 0xff, 0xff, 0xff, 0x7f],       // a body claiming 2^35 bytes
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // a varint longer than 5 bytes
            [0x05, 0xde, 0xad],                   // a body cut short
            [0x03, 0xff, 0xff, 0xff],             // not a protobuf
        ];
        var data = new TheoryData<byte, byte[]>();
        foreach (var op in new byte[] { 80, 81, 85 })
        {
            foreach (var body in bodies)
            {
                data.Add(op, body);
            }
        }
        return data;
    }
}
