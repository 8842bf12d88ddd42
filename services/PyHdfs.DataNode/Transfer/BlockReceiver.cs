using System.Buffers;
using System.Threading.Channels;
using PyHdfs.DataNode.Control;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// The packet loop of one WriteBlock: reads each packet, verifies its checksums, forwards the same
/// bytes downstream while writing them to the rbw replica, and queues it for the responder, which
/// sends the upstream one ack per packet in seqno order: <c>[own status] + downstream's replies</c>.
/// The last (empty) packet finalizes the replica before its ack leaves.
/// </summary>
internal sealed class BlockReceiver(
    Stream upstream,
    Stream? downstream,
    string? downstreamId,
    ReplicaWriter writer,
    string name,
    bool syncOnClose,
    TransferLimits limits,
    IdleDeadline deadline,
    BlockReportHub reports,
    ILogger logger) : IDisposable
{
    private const int MaxPendingAcks = 1024;

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(MaxPendingAcks) { SingleReader = true, SingleWriter = true });
    private readonly IdleDeadline _responderDeadline = new(deadline.Timeout, deadline.Token);

    private readonly record struct Pending(long SeqNo, bool Last, TransferStatus Status, bool DownstreamBroken);

    public readonly record struct Result(bool Finalized, string? Error);

    private sealed class ReceiveFailure(TransferStatus status, string message) : Exception(message)
    {
        public TransferStatus Status { get; } = status;
    }

    public async Task<Result> RunAsync()
    {
        var responder = Task.Run(RespondAsync);
        string? error = null;
        var finalized = false;
        try
        {
            finalized = await ReceiveAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ReceiveFailure or ChannelClosedException)
        {
            error = e is OperationCanceledException ? $"no progress for {deadline.Timeout.TotalSeconds:0.#} s or the pipeline broke" : e.Message;
        }
        finally
        {
            _pending.Writer.TryComplete();
        }
        var responderError = await responder.ConfigureAwait(false);
        return new Result(finalized, error ?? responderError);
    }

    /// <summary>Returns true once the replica is finalized, false when the downstream broke first.</summary>
    private async Task<bool> ReceiveAsync()
    {
        var bytesPerChecksum = writer.BytesPerChecksum;
        var buffer = ArrayPool<byte>.Shared.Rent(PacketHeader.Size + (64 * ChunkChecksums.ChecksumSize) + (256 * 1024));
        var downstreamBroken = false;
        try
        {
            // A recovered replica continues where the surviving bytes end.
            var expectedOffset = writer.InitialLength;
            long lastSeqNo = -1;
            while (true)
            {
                await TransferFraming.ReadExactlyOrThrowAsync(upstream, buffer.AsMemory(0, PacketHeader.Size), "packet header", deadline.Arm()).ConfigureAwait(false);
                PacketHeader.TryParse(buffer.AsSpan(0, PacketHeader.Size), limits, out var packet);
                if (lastSeqNo >= 0 && packet.SeqNo != lastSeqNo + 1)
                {
                    await FailAsync(packet.SeqNo, TransferStatus.ErrorInvalid, $"{name}: packet seqno {packet.SeqNo} after {lastSeqNo}").ConfigureAwait(false);
                }
                if (packet.OffsetInBlock != expectedOffset)
                {
                    await FailAsync(packet.SeqNo, TransferStatus.ErrorInvalid, $"{name}: packet at offset {packet.OffsetInBlock}, expected {expectedOffset}").ConfigureAwait(false);
                }
                if (packet.DataLength > 0 && expectedOffset % bytesPerChecksum != 0)
                {
                    await FailAsync(packet.SeqNo, TransferStatus.ErrorInvalid, $"{name}: packet at offset {expectedOffset} does not start at a chunk boundary").ConfigureAwait(false);
                }
                var checksumBytes = packet.ChecksumBytes(bytesPerChecksum);
                var total = PacketHeader.Size + checksumBytes + packet.DataLength;
                if (buffer.Length < total)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(total);
                    buffer.AsSpan(0, PacketHeader.Size).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                await TransferFraming.ReadExactlyOrThrowAsync(upstream, buffer.AsMemory(PacketHeader.Size, total - PacketHeader.Size), "packet body", deadline.Arm()).ConfigureAwait(false);
                var checksums = buffer.AsMemory(PacketHeader.Size, checksumBytes);
                var data = buffer.AsMemory(PacketHeader.Size + checksumBytes, packet.DataLength);
                var bad = ChunkChecksums.FindMismatch(data.Span, bytesPerChecksum, checksums.Span);
                if (bad >= 0)
                {
                    await FailAsync(packet.SeqNo, TransferStatus.ErrorChecksum,
                        $"{name}: checksum mismatch in chunk {bad} of the packet at offset {packet.OffsetInBlock} (block offset {packet.OffsetInBlock + ((long)bad * bytesPerChecksum)})").ConfigureAwait(false);
                }

                var forward = downstream is null ? Task.CompletedTask : downstream.WriteAsync(buffer.AsMemory(0, total), deadline.Arm()).AsTask();
                try
                {
                    writer.Append(data.Span, checksums.Span);
                    if (packet.IsLast)
                    {
                        var replica = writer.Finalize(syncOnClose || (packet.Flags & PacketFlags.Sync) != 0);
                        DataNodeTelemetry.BlocksWritten.Add(1);
                        reports.Received(ReplicaStore.ToBlockRef(replica));
                    }
                    else if ((packet.Flags & PacketFlags.Sync) != 0)
                    {
                        writer.Sync();
                    }
                }
                catch (IOException e)
                {
                    await ObserveAsync(forward).ConfigureAwait(false);
                    var status = TransferSockets.IsDiskFull(e) ? TransferStatus.ErrorDiskFull : TransferStatus.Error;
                    await FailAsync(packet.SeqNo, status, $"{name}: local write failed at offset {packet.OffsetInBlock}: {e.Message}").ConfigureAwait(false);
                }
                DataNodeTelemetry.BytesWritten.Add(packet.DataLength);
                if (!await ObserveAsync(forward).ConfigureAwait(false))
                {
                    downstreamBroken = true;
                }
                await _pending.Writer.WriteAsync(new Pending(packet.SeqNo, packet.IsLast, TransferStatus.Success, downstreamBroken), deadline.Token).ConfigureAwait(false);
                if (packet.IsLast)
                {
                    return true;
                }
                if (downstreamBroken)
                {
                    return false;
                }
                expectedOffset += packet.DataLength;
                lastSeqNo = packet.SeqNo;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> ObserveAsync(Task forward)
    {
        try
        {
            await forward.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Queues the error ack for <paramref name="seqNo"/> (after the acks of earlier packets) and stops receiving.</summary>
    private async Task FailAsync(long seqNo, TransferStatus status, string message)
    {
        await _pending.Writer.WriteAsync(new Pending(seqNo, false, status, false), deadline.Token).ConfigureAwait(false);
        throw new ReceiveFailure(status, message);
    }

    /// <summary>Sends the acks; returns null when the last packet was acked with success everywhere, else the cause.</summary>
    private async Task<string?> RespondAsync()
    {
        var replies = new List<TransferStatus>(8);
        string? failure = "the stream ended before the last packet";
        try
        {
            await foreach (var pending in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                replies.Clear();
                replies.Add(pending.Status);
                if (pending.Status != TransferStatus.Success)
                {
                    await SendAckAsync(pending.SeqNo, replies).ConfigureAwait(false);
                    return failure = $"acked seqno {pending.SeqNo} with {pending.Status}";
                }
                if (downstream is not null)
                {
                    var downstreamAck = pending.DownstreamBroken ? null : await ReadDownstreamAckAsync(pending.SeqNo).ConfigureAwait(false);
                    if (downstreamAck is null)
                    {
                        replies.Add(TransferStatus.Error);
                        await SendAckAsync(pending.SeqNo, replies).ConfigureAwait(false);
                        return failure = $"downstream {downstreamId} failed before acking seqno {pending.SeqNo}";
                    }
                    replies.AddRange(downstreamAck.Replies);
                    await SendAckAsync(pending.SeqNo, replies).ConfigureAwait(false);
                    if (downstreamAck.Replies.Any(r => r != TransferStatus.Success))
                    {
                        return failure = $"the pipeline after {downstreamId} acked seqno {pending.SeqNo} with [{string.Join(",", downstreamAck.Replies)}]";
                    }
                }
                else
                {
                    await SendAckAsync(pending.SeqNo, replies).ConfigureAwait(false);
                }
                if (pending.Last)
                {
                    return failure = null;
                }
            }
            return failure;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return failure = $"cannot ack upstream: {e.Message}";
        }
        finally
        {
            if (failure is not null)
            {
                // Stops a receiver blocked on the upstream: nobody will ack what it reads.
                deadline.Cancel();
            }
        }
    }

    private async Task<PipelineAck?> ReadDownstreamAckAsync(long seqNo)
    {
        try
        {
            var ack = await TransferFraming.ReadMessageAsync(downstream!, PipelineAck.Parser, limits, _responderDeadline.Arm()).ConfigureAwait(false);
            if (ack.Seqno != seqNo)
            {
                logger.LogWarning("{Block}: downstream {Downstream} acked seqno {Got}, expected {Expected}", name, downstreamId, ack.Seqno, seqNo);
                return null;
            }
            return ack;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogWarning("{Block}: no ack from downstream {Downstream} for seqno {SeqNo}: {Reason}", name, downstreamId, seqNo,
                e is OperationCanceledException ? "timed out" : e.Message);
            return null;
        }
    }

    public void Dispose() => _responderDeadline.Dispose();

    private async Task SendAckAsync(long seqNo, List<TransferStatus> replies)
    {
        var ack = new PipelineAck { Seqno = seqNo };
        ack.Replies.AddRange(replies);
        await TransferFraming.WriteMessageAsync(upstream, ack, _responderDeadline.Arm()).ConfigureAwait(false);
    }
}
