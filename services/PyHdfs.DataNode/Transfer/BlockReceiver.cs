using System.Buffers;
using System.Threading.Channels;
using PyHdfs.DataNode.Control;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// The packet loop of one WriteBlock, in three stages that overlap: the network loop reads each packet,
/// verifies its checksums and forwards the same bytes downstream; the disk loop appends it to the rbw
/// replica; the responder sends the upstream one ack per packet in seqno order:
/// <c>[own status] + downstream's replies</c>. The last (empty) packet finalizes the replica before its
/// ack leaves. A packet is acked only after it is written here (and acked downstream).
/// </summary>
internal sealed class BlockReceiver(
    IWriteUpstream upstream,
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

    // Packets read but not yet written: lets the network loop read ahead while the disk loop writes
    // (each holds one packet buffer, so this also bounds the memory of one write).
    private const int MaxPacketsInFlight = 8;

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(MaxPendingAcks) { SingleReader = true, SingleWriter = true });
    private readonly Channel<Received> _received = Channel.CreateBounded<Received>(
        new BoundedChannelOptions(MaxPacketsInFlight) { SingleReader = true, SingleWriter = true });
    private readonly IdleDeadline _responderDeadline = new(deadline.Timeout, deadline.Token);

    private readonly record struct Pending(long SeqNo, bool Last, TransferStatus Status, bool DownstreamBroken);

    /// <summary>A verified packet for the disk loop (Buffer from the shared pool), or the failure to ack in its place.</summary>
    private readonly record struct Received(PacketHeader Packet, byte[]? Buffer, int ChecksumBytes, bool DownstreamBroken, TransferStatus Failure);

    public readonly record struct Result(bool Finalized, string? Error);

    private sealed class ReceiveFailure(TransferStatus status, string message) : Exception(message)
    {
        public TransferStatus Status { get; } = status;
    }

    public async Task<Result> RunAsync()
    {
        var responder = Task.Run(RespondAsync);
        var disk = Task.Run(WriteToDiskAsync);
        string? error = null;
        try
        {
            await ReceiveAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ReceiveFailure or ChannelClosedException)
        {
            error = e is OperationCanceledException ? $"no progress for {deadline.Timeout.TotalSeconds:0.#} s or the pipeline broke" : e.Message;
        }
        finally
        {
            _received.Writer.TryComplete();
        }
        var (finalized, diskError) = await disk.ConfigureAwait(false);
        _pending.Writer.TryComplete();
        var responderError = await responder.ConfigureAwait(false);
        // A local write failure is the root cause of whatever the network loop saw after it.
        return new Result(finalized, diskError ?? error ?? responderError);
    }

    /// <summary>The network loop: returns after the last packet, or when the downstream broke.</summary>
    private async Task ReceiveAsync()
    {
        var bytesPerChecksum = writer.BytesPerChecksum;
        var header = new byte[PacketHeader.Size];
        // A recovered replica continues where the surviving bytes end.
        var expectedOffset = writer.InitialLength;
        long lastSeqNo = -1;
        while (true)
        {
            var packet = await upstream.ReadPacketHeaderAsync(header, deadline.Arm()).ConfigureAwait(false);
            if (lastSeqNo >= 0 && packet.SeqNo != lastSeqNo + 1)
            {
                await FailAsync(packet, TransferStatus.ErrorInvalid, $"{name}: packet seqno {packet.SeqNo} after {lastSeqNo}").ConfigureAwait(false);
            }
            if (packet.OffsetInBlock != expectedOffset)
            {
                await FailAsync(packet, TransferStatus.ErrorInvalid, $"{name}: packet at offset {packet.OffsetInBlock}, expected {expectedOffset}").ConfigureAwait(false);
            }
            if (packet.DataLength > 0 && expectedOffset % bytesPerChecksum != 0)
            {
                await FailAsync(packet, TransferStatus.ErrorInvalid, $"{name}: packet at offset {expectedOffset} does not start at a chunk boundary").ConfigureAwait(false);
            }
            var checksumBytes = packet.ChecksumBytes(bytesPerChecksum);
            var total = PacketHeader.Size + checksumBytes + packet.DataLength;
            var buffer = ArrayPool<byte>.Shared.Rent(total);
            var handedOver = false;
            try
            {
                header.CopyTo(buffer, 0);
                await upstream.ReadPacketBodyAsync(buffer.AsMemory(PacketHeader.Size, total - PacketHeader.Size), deadline.Arm()).ConfigureAwait(false);
                var bad = ChunkChecksums.FindMismatch(
                    buffer.AsSpan(PacketHeader.Size + checksumBytes, packet.DataLength), bytesPerChecksum, buffer.AsSpan(PacketHeader.Size, checksumBytes));
                if (bad >= 0)
                {
                    await FailAsync(packet, TransferStatus.ErrorChecksum,
                        $"{name}: checksum mismatch in chunk {bad} of the packet at offset {packet.OffsetInBlock} (block offset {packet.OffsetInBlock + ((long)bad * bytesPerChecksum)})").ConfigureAwait(false);
                }
                // The disk loop writes the previous packets meanwhile.
                var downstreamBroken = downstream is not null && !await ForwardAsync(buffer.AsMemory(0, total)).ConfigureAwait(false);
                await _received.Writer.WriteAsync(new Received(packet, buffer, checksumBytes, downstreamBroken, TransferStatus.Success), deadline.Token).ConfigureAwait(false);
                handedOver = true;
                if (packet.IsLast || downstreamBroken)
                {
                    return;
                }
            }
            finally
            {
                if (!handedOver)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            expectedOffset += packet.DataLength;
            lastSeqNo = packet.SeqNo;
        }
    }

    private async Task<bool> ForwardAsync(ReadOnlyMemory<byte> wire)
    {
        try
        {
            await downstream!.WriteAsync(wire, deadline.Arm()).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The disk loop: appends each packet to the replica, then queues its ack; the last packet finalizes the
    /// replica. Returns whether it finalized, and the cause when it stopped on a local write error.
    /// </summary>
    private async Task<(bool Finalized, string? Error)> WriteToDiskAsync()
    {
        var finalized = false;
        try
        {
            await foreach (var item in _received.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Buffer is null)
                {
                    await _pending.Writer.WriteAsync(new Pending(item.Packet.SeqNo, false, item.Failure, false), deadline.Token).ConfigureAwait(false);
                    return (false, null);
                }
                var packet = item.Packet;
                try
                {
                    writer.Append(
                        item.Buffer.AsSpan(PacketHeader.Size + item.ChecksumBytes, packet.DataLength),
                        item.Buffer.AsSpan(PacketHeader.Size, item.ChecksumBytes));
                    if (packet.IsLast)
                    {
                        var replica = writer.Finalize(syncOnClose || (packet.Flags & PacketFlags.Sync) != 0);
                        finalized = true;
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
                    var diskFull = TransferSockets.IsDiskFull(e);
                    if (diskFull)
                    {
                        // No recovery can continue a replica on a full disk; its files only take space the node needs.
                        writer.Abort();
                    }
                    var status = diskFull ? TransferStatus.ErrorDiskFull : TransferStatus.Error;
                    await _pending.Writer.WriteAsync(new Pending(packet.SeqNo, false, status, false), deadline.Token).ConfigureAwait(false);
                    return (false, $"{name}: local write failed at offset {packet.OffsetInBlock}{(diskFull ? " (disk full, partial replica deleted)" : "")}: {e.Message}");
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
                DataNodeTelemetry.BytesWritten.Add(packet.DataLength);
                await _pending.Writer.WriteAsync(new Pending(packet.SeqNo, packet.IsLast, TransferStatus.Success, item.DownstreamBroken), deadline.Token).ConfigureAwait(false);
                if (packet.IsLast)
                {
                    return (true, null);
                }
            }
            return (false, null);
        }
        catch (OperationCanceledException)
        {
            // The responder gave up (and said why); a replica finalized before that stays finalized.
            return (finalized, null);
        }
        finally
        {
            // Packets read after a failure are never written.
            while (_received.Reader.TryRead(out var left))
            {
                if (left.Buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(left.Buffer);
                }
            }
        }
    }

    /// <summary>Queues the error ack for <paramref name="packet"/> (after the acks of earlier packets) and stops receiving.</summary>
    private async Task FailAsync(PacketHeader packet, TransferStatus status, string message)
    {
        await _received.Writer.WriteAsync(new Received(packet, null, 0, false, status), deadline.Token).ConfigureAwait(false);
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
        DataNodeTelemetry.PipelineAcks.Add(1);
        await upstream.SendAckAsync(seqNo, replies, _responderDeadline.Arm()).ConfigureAwait(false);
    }
}
