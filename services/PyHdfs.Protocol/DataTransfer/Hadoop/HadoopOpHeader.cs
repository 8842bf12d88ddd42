namespace PyHdfs.Protocol.DataTransfer.Hadoop;

/// <summary>Hadoop DataTransferProtocol ops this DataNode recognises (reference §3.1).</summary>
public enum HadoopOp : byte
{
    WriteBlock = 80,
    ReadBlock = 81,
    BlockChecksum = 85,
}

/// <summary>
/// Recognises Hadoop's op header (big-endian int16 version 28, then one op byte) from the first
/// bytes of a connection, so it can share the port with our "PYDT" framing.
/// </summary>
public static class HadoopOpHeader
{
    public const short Version = 28;
    public const int Size = 3;

    /// <summary>True when the first two bytes are Hadoop's version; "PYDT" starts with 'P' (0x50) so never matches.</summary>
    public static bool LooksLikeHadoop(ReadOnlySpan<byte> firstTwoBytes) =>
        firstTwoBytes.Length >= 2 && firstTwoBytes[0] == 0x00 && firstTwoBytes[1] == Version;

    /// <summary>Parses the 3-byte header; refuses a wrong version or an op we do not serve.</summary>
    public static HadoopOp Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Size)
            throw new DataTransferProtocolException($"Hadoop op header truncated: {header.Length} of {Size} bytes");
        var version = (short)((header[0] << 8) | header[1]);
        if (version != Version)
            throw new DataTransferProtocolException($"unsupported Hadoop data transfer version {version}; this DataNode speaks {Version}");
        var op = (HadoopOp)header[2];
        return op is HadoopOp.WriteBlock or HadoopOp.ReadBlock or HadoopOp.BlockChecksum
            ? op
            : throw new DataTransferProtocolException($"unsupported Hadoop data transfer op {header[2]}");
    }
}
