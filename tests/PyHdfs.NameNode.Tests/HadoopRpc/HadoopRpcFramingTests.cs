using Google.Protobuf;
using PyHdfs.NameNode.HadoopRpc;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.NameNode.Tests.HadoopRpc;

public sealed class HadoopRpcFramingTests
{
    [Fact]
    public void Accepts_the_version_9_simple_auth_preamble_and_waits_for_a_short_one()
    {
        Assert.True(HadoopRpcFraming.TryCheckPreamble("hrpc\u0009\0\0"u8));
        Assert.False(HadoopRpcFraming.TryCheckPreamble("hrpc"u8));
    }

    [Fact]
    public void Refuses_a_wrong_magic_version_or_sasl_preamble_with_a_clear_message()
    {
        Assert.Contains("hrpc", Assert.Throws<HadoopRpcProtocolException>(() => HadoopRpcFraming.TryCheckPreamble("GET / H"u8)).Message);
        Assert.Contains("version 7", Assert.Throws<HadoopRpcProtocolException>(() => HadoopRpcFraming.TryCheckPreamble("hrpc\u0007\0\0"u8)).Message);
        Assert.Contains("simple", Assert.Throws<HadoopRpcProtocolException>(() => HadoopRpcFraming.TryCheckPreamble([.. "hrpc"u8, 9, 0, 0xdf])).Message);
    }

    [Fact]
    public void Refuses_a_frame_claiming_two_gibibytes()
    {
        byte[] header = [0x80, 0, 0, 0];
        var error = Assert.Throws<HadoopRpcProtocolException>(() => HadoopRpcFraming.TryReadFrameLength(header, HadoopRpcFraming.DefaultMaxFrameBytes, out _));
        Assert.Contains("2147483648", error.Message);
    }

    [Fact]
    public void Reads_the_frame_length_big_endian_and_waits_for_four_bytes()
    {
        Assert.False(HadoopRpcFraming.TryReadFrameLength([0, 0, 0], 1000, out _));
        Assert.True(HadoopRpcFraming.TryReadFrameLength([0, 0, 0, 0x5d], 1000, out var length));
        Assert.Equal(93, length);
    }

    [Theory]
    [InlineData(0, 0u)]
    [InlineData(-1, 1u)]
    [InlineData(1, 2u)]
    [InlineData(-3, 5u)]
    [InlineData(int.MaxValue, 4294967294u)]
    [InlineData(int.MinValue, 4294967295u)]
    public void Zigzag_round_trips(int value, uint encoded)
    {
        Assert.Equal(encoded, HadoopRpcFraming.ZigZagEncode(value));
        Assert.Equal(value, HadoopRpcFraming.ZigZagDecode(encoded));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(127u)]
    [InlineData(128u)]
    [InlineData(300u)]
    [InlineData(uint.MaxValue)]
    public void Varint_round_trips(uint value)
    {
        Span<byte> buffer = stackalloc byte[5];
        var written = HadoopRpcFraming.WriteVarint32(buffer, value);
        Assert.Equal(HadoopRpcFraming.VarintSize(value), written);
        ReadOnlySpan<byte> read = buffer[..written];
        Assert.Equal(value, HadoopRpcFraming.ReadVarint32(ref read));
        Assert.True(read.IsEmpty);
    }

    [Fact]
    public void Truncated_or_overlong_varints_and_messages_are_protocol_errors()
    {
        Assert.Throws<HadoopRpcProtocolException>(() => { ReadOnlySpan<byte> s = [0x80]; HadoopRpcFraming.ReadVarint32(ref s); });
        Assert.Throws<HadoopRpcProtocolException>(() => { ReadOnlySpan<byte> s = [0xff, 0xff, 0xff, 0xff, 0xff, 0x01]; HadoopRpcFraming.ReadVarint32(ref s); });
        Assert.Throws<HadoopRpcProtocolException>(() => { ReadOnlySpan<byte> s = [0x05, 1, 2]; HadoopRpcFraming.ReadDelimited(ref s); });
    }

    [Fact]
    public void Splits_the_reference_getFileInfo_call_into_its_three_messages()
    {
        var clientId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var rpcHeader = new RpcRequestHeaderProto
        {
            RpcKind = RpcKindProto.RpcProtocolBuffer,
            RpcOp = RpcRequestHeaderProto.Types.OperationProto.RpcFinalPacket,
            CallId = 1,
            ClientId = ByteString.CopyFrom(clientId),
        };
        var requestHeader = new RequestHeaderProto
        {
            MethodName = "getFileInfo",
            DeclaringClassProtocolName = "org.apache.hadoop.hdfs.protocol.ClientProtocol",
            ClientProtocolVersion = 1,
        };
        var body = new GetFileInfoRequestProto { Src = "/" };
        using var stream = new MemoryStream();
        rpcHeader.WriteDelimitedTo(stream);
        requestHeader.WriteDelimitedTo(stream);
        body.WriteDelimitedTo(stream);
        var frame = stream.ToArray();
        Assert.Equal(93, frame.Length);
        Assert.Equal(new byte[] { 0x18, 0x08, 0x02, 0x10, 0x00, 0x18, 0x02, 0x22, 0x10 }, frame[..9]);

        ReadOnlySpan<byte> rest = frame;
        Assert.Equal(1, RpcRequestHeaderProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest)).CallId);
        Assert.Equal("getFileInfo", RequestHeaderProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest)).MethodName);
        Assert.Equal("/", GetFileInfoRequestProto.Parser.ParseFrom(HadoopRpcFraming.ReadDelimited(ref rest)).Src);
        Assert.True(rest.IsEmpty);
    }

    [Theory]
    [InlineData(ErrorKind.FileNotFound, "java.io.FileNotFoundException")]
    [InlineData(ErrorKind.PermissionDenied, "org.apache.hadoop.security.AccessControlException")]
    [InlineData(ErrorKind.AlreadyExists, "org.apache.hadoop.fs.FileAlreadyExistsException")]
    [InlineData(ErrorKind.NotEmpty, "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException")]
    [InlineData(ErrorKind.SafeMode, "org.apache.hadoop.hdfs.server.namenode.SafeModeException")]
    [InlineData(ErrorKind.StandbyNamenode, "org.apache.hadoop.ipc.StandbyException")]
    public void Error_kinds_map_to_the_exception_classes_the_client_recognises(ErrorKind kind, string className)
    {
        Assert.Equal(className, HadoopExceptionClasses.For(kind));
    }
}
