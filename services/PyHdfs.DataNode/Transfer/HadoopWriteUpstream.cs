using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.DataTransfer.Hadoop;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// A Hadoop client writing a block (reference §3.5): varint-delimited BlockOpResponseProto and
/// PipelineAckProto, Hadoop's packet headers. Heartbeat packets (seqno −1, sent after 30 s of idleness)
/// are answered here and never reach the receiver.
/// </summary>
internal sealed class HadoopWriteUpstream(Stream stream, int bytesPerChecksum, TransferLimits limits) : IWriteUpstream, IDisposable
{
    // The responder's acks and the heartbeat answers share the stream.
    private readonly SemaphoreSlim _writes = new(1, 1);

    public Task RespondAsync(OpResponse response, CancellationToken cancellationToken)
    {
        var reply = new BlockOpResponseProto { Status = HadoopStatus.From(response.Status), FirstBadLink = response.FirstBadLink };
        if (response.Message.Length > 0)
        {
            reply.Message = response.Message;
        }
        return WriteAsync(reply, cancellationToken);
    }

    public async ValueTask<PacketHeader> ReadPacketHeaderAsync(byte[] header, CancellationToken cancellationToken)
    {
        while (true)
        {
            var hadoop = await HadoopPacketHeader.ReadAsync(stream, bytesPerChecksum, limits, cancellationToken).ConfigureAwait(false);
            if (hadoop.IsHeartbeat)
            {
                if (hadoop.DataLength != 0)
                {
                    throw new DataTransferProtocolException($"a Hadoop heartbeat packet carries {hadoop.DataLength} data bytes");
                }
                await SendAckAsync(HadoopPacketHeader.HeartbeatSeqNo, [TransferStatus.Success], cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (hadoop.SeqNo < 0)
            {
                throw new DataTransferProtocolException($"Hadoop packet sequence number {hadoop.SeqNo}");
            }
            if (hadoop.LastPacketInBlock && hadoop.DataLength != 0)
            {
                throw new DataTransferProtocolException("the last Hadoop packet of a block must carry no data");
            }
            var flags = (hadoop.LastPacketInBlock ? PacketFlags.LastPacketInBlock : PacketFlags.None)
                        | (hadoop.SyncBlock ? PacketFlags.Sync : PacketFlags.None);
            var packet = new PacketHeader(hadoop.SeqNo, hadoop.OffsetInBlock, hadoop.DataLength, flags);
            packet.Write(header);
            return packet;
        }
    }

    public ValueTask ReadPacketBodyAsync(Memory<byte> body, CancellationToken cancellationToken) =>
        TransferFraming.ReadExactlyOrThrowAsync(stream, body, "Hadoop packet body", cancellationToken);

    public Task SendAckAsync(long seqNo, IReadOnlyList<TransferStatus> replies, CancellationToken cancellationToken)
    {
        var ack = new PipelineAckProto { Seqno = seqNo };
        ack.Reply.AddRange(replies.Select(HadoopStatus.From));
        ack.Flag.Add(0);
        return WriteAsync(ack, cancellationToken);
    }

    public void Dispose() => _writes.Dispose();

    private async Task WriteAsync(Google.Protobuf.IMessage message, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await HadoopDelimited.WriteAsync(stream, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }
}

/// <summary>Our transfer statuses as Hadoop's; those Hadoop has no word for are ERROR (the message says which).</summary>
internal static class HadoopStatus
{
    public static DataTransferStatus From(TransferStatus status) => status switch
    {
        TransferStatus.Success => DataTransferStatus.Success,
        TransferStatus.ErrorChecksum => DataTransferStatus.ErrorChecksum,
        TransferStatus.ErrorInvalid => DataTransferStatus.ErrorInvalid,
        TransferStatus.ErrorExists => DataTransferStatus.ErrorExists,
        TransferStatus.ErrorAccessToken => DataTransferStatus.ErrorAccessToken,
        _ => DataTransferStatus.Error,
    };
}
