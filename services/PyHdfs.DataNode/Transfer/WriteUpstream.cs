using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// The sender of a WriteBlock as its receiver sees it: where the answer to the op goes, where the packets
/// come from and where their acks go. Our protocol and Hadoop's differ only in these framings; the packet
/// body (one CRC32 per chunk, then the data) is laid out the same in both, so it is read and forwarded as is.
/// </summary>
internal interface IWriteUpstream
{
    Task RespondAsync(OpResponse response, CancellationToken cancellationToken);

    /// <summary>Reads the next data packet's header and writes it into <paramref name="header"/> in our 24-byte form, which is what goes downstream.</summary>
    ValueTask<PacketHeader> ReadPacketHeaderAsync(byte[] header, CancellationToken cancellationToken);

    /// <summary>Reads the checksums and data of the packet whose header was just read.</summary>
    ValueTask ReadPacketBodyAsync(Memory<byte> body, CancellationToken cancellationToken);

    Task SendAckAsync(long seqNo, IReadOnlyList<TransferStatus> replies, CancellationToken cancellationToken);
}

/// <summary>Our own client, or the DataNode before this one in the pipeline.</summary>
internal sealed class PyHdfsWriteUpstream(Stream stream, TransferLimits limits) : IWriteUpstream
{
    public async Task RespondAsync(OpResponse response, CancellationToken cancellationToken) =>
        await TransferFraming.WriteMessageAsync(stream, response, cancellationToken).ConfigureAwait(false);

    public async ValueTask<PacketHeader> ReadPacketHeaderAsync(byte[] header, CancellationToken cancellationToken)
    {
        await TransferFraming.ReadExactlyOrThrowAsync(stream, header, "packet header", cancellationToken).ConfigureAwait(false);
        PacketHeader.TryParse(header, limits, out var packet);
        return packet;
    }

    public ValueTask ReadPacketBodyAsync(Memory<byte> body, CancellationToken cancellationToken) =>
        TransferFraming.ReadExactlyOrThrowAsync(stream, body, "packet body", cancellationToken);

    public async Task SendAckAsync(long seqNo, IReadOnlyList<TransferStatus> replies, CancellationToken cancellationToken)
    {
        var ack = new PipelineAck { Seqno = seqNo };
        ack.Replies.AddRange(replies);
        await TransferFraming.WriteMessageAsync(stream, ack, cancellationToken).ConfigureAwait(false);
    }
}
