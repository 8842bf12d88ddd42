using PyHdfs.DataNode.Tests.Support;

namespace PyHdfs.DataNode.Tests;

/// <summary>Hadoop's op header is recognised on the same port as ours; until served it gets a clear refusal.</summary>
public sealed class HadoopSamePortTests : IAsyncLifetime
{
    private InProcessDataNode _node = null!;

    public async ValueTask InitializeAsync() =>
        _node = await InProcessDataNode.StartAsync("dn-hadoop-port", settings: new Dictionary<string, string> { ["DataNode:TransferIdleTimeoutMs"] = "1500" });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Hadoop_read_op_gets_error_unsupported_reply_of_at_least_5_bytes()
    {
        var token = TestContext.Current.CancellationToken;
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, 81 }, token);
        var reply = new byte[5];
        await stream.ReadExactlyAsync(reply, token);
        Assert.Equal(0x08, reply[1]);
        Assert.Equal(7, reply[2]);
        Assert.True(reply[0] >= 4);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Hadoop_unknown_op_drops_the_connection()
    {
        await using var stream = await TestTransferClient.ConnectAsync(_node.Address);
        await stream.WriteAsync(new byte[] { 0x00, 0x1c, 82 }, TestContext.Current.CancellationToken);
        Assert.True(await TestTransferClient.ServerClosesAsync(stream, TimeSpan.FromSeconds(10)));
    }
}
