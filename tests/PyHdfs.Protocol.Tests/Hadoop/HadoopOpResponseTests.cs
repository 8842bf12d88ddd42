using PyHdfs.Protocol.DataTransfer.Hadoop;

namespace PyHdfs.Protocol.Tests.Hadoop;

public sealed class HadoopOpResponseTests
{
    [Fact]
    public void Unsupported_reply_is_a_varint_prefixed_status_and_message_of_at_least_5_bytes()
    {
        var reply = HadoopOpResponse.Unsupported("no");
        Assert.Equal(new byte[] { 6, 0x08, 7, 0x2a, 2, (byte)'n', (byte)'o' }, reply);
        Assert.True(HadoopOpResponse.Unsupported("").Length >= 5);
    }

    [Fact]
    public void Long_message_keeps_one_byte_lengths()
    {
        var reply = HadoopOpResponse.Unsupported(new string('x', 1000));
        Assert.InRange(reply[0], 5, 127);
        Assert.Equal(reply.Length - 1, reply[0]);
    }
}
