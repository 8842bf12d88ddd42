using Google.Protobuf;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>Hadoop's DataTransferProtocol frames its op bodies and replies with a varint length, not our 4-byte one.</summary>
internal static class HadoopDelimited
{
    private const int MaxOpBytes = 64 * 1024;

    /// <summary>The op's varint-length-prefixed proto, refused beyond 64 KiB.</summary>
    public static async Task<byte[]> ReadAsync(Stream stream, IdleDeadline deadline)
    {
        var one = new byte[1];
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new DataTransferProtocolException("Hadoop op: the length varint is longer than 5 bytes");
            }
            await TransferFraming.ReadExactlyOrThrowAsync(stream, one, "the Hadoop op length", deadline.Arm()).ConfigureAwait(false);
            length |= (one[0] & 0x7f) << shift;
            if ((one[0] & 0x80) == 0)
            {
                break;
            }
        }
        if (length is <= 0 or > MaxOpBytes)
        {
            throw new DataTransferProtocolException($"Hadoop op: a body of {length} bytes (at most {MaxOpBytes})");
        }
        var body = new byte[length];
        await TransferFraming.ReadExactlyOrThrowAsync(stream, body, "the Hadoop op body", deadline.Arm()).ConfigureAwait(false);
        return body;
    }

    public static async Task WriteAsync(Stream stream, IMessage message, CancellationToken cancellationToken)
    {
        using var bytes = new MemoryStream();
        message.WriteDelimitedTo(bytes);
        await stream.WriteAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
