using System.Net.Sockets;
using PyHdfs.Client.Internal;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client.Write;

/// <summary>Settings of one block write, taken from <see cref="DfsClientOptions"/>.</summary>
/// <param name="Trust">The cluster CA the client loaded (<see cref="DfsClientOptions.TlsCaPath"/>); null for plain TCP.</param>
internal sealed record BlockWriteSettings(string ClientName, int BytesPerChecksum, int WindowPackets, TimeSpan Timeout, ClusterTrust? Trust = null)
{
    public static BlockWriteSettings From(DfsClientOptions o, ClusterTrust? trust) =>
        new(o.ClientName, o.BytesPerChecksum, o.WriteWindowPackets, o.DataNodeTimeout, trust);
}

/// <summary>What a failed pipeline hands to its replacement: the unacknowledged packets (sealed, in seqno order) and the counters.</summary>
internal sealed record PipelineResume(IReadOnlyList<PacketBuffer> Packets, long NextSeqNo, long LastSeqNo, long AckedBytes);

/// <summary>
/// The client end of one block's write pipeline (client -> targets[0] -> targets[1] ...).
/// Packets are sent by the caller; acks are read by a background task. At most
/// <see cref="BlockWriteSettings.WindowPackets"/> packets are unacknowledged; they stay queued
/// (pooled buffers) until acknowledged so that a pipeline recovery resends them (<see cref="DetachAsync"/>).
/// </summary>
internal sealed class BlockWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly IReadOnlyList<DataNodeAddress> _targets;
    private readonly BlockWriteSettings _settings;
    private readonly SemaphoreSlim _window;
    private readonly Queue<PacketBuffer> _unacked = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _lastAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _ackReader;
    private PipelineException? _failure;
    private long _nextSeqNo;
    private long _lastSeqNo = -1;

    private BlockWriter(Stream stream, BlockRef block, IReadOnlyList<DataNodeAddress> targets, BlockWriteSettings settings)
    {
        _stream = stream;
        Block = block;
        _targets = targets;
        _settings = settings;
        _window = new SemaphoreSlim(settings.WindowPackets, int.MaxValue);
    }

    public BlockRef Block { get; }

    public IReadOnlyList<DataNodeAddress> Targets => _targets;

    /// <summary>Data bytes acknowledged by every node of the pipeline.</summary>
    public long BytesAcked { get; private set; }

    /// <summary>Packets sent and not yet acknowledged (for tests and diagnostics).</summary>
    public int Unacknowledged
    {
        get
        {
            lock (_lock)
            {
                return _unacked.Count;
            }
        }
    }

    /// <summary>Connects to targets[0], sends the op header and reads the pipeline's answer.</summary>
    public static async Task<BlockWriter> OpenAsync(
        BlockRef block, IReadOnlyList<DataNodeAddress> targets, byte[] accessToken, string traceParent, string traceState,
        BlockWriteSettings settings, CancellationToken cancellationToken, WriteStage stage = WriteStage.Create)
    {
        if (targets.Count == 0)
        {
            throw new PipelineException(null, "the NameNode gave no DataNode for the block");
        }
        Stream stream;
        try
        {
            stream = await DataNodeConnection.ConnectAsync(targets[0], settings.Timeout, settings.Trust, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new PipelineException(targets[0].Id, e.Message, e);
        }
        try
        {
            var header = new WriteBlockHeader
            {
                Block = block,
                ClientName = settings.ClientName,
                Traceparent = traceParent,
                Tracestate = traceState,
                AccessToken = Google.Protobuf.ByteString.CopyFrom(accessToken),
                BytesPerChecksum = settings.BytesPerChecksum,
                Stage = stage,
            };
            header.Downstream.AddRange(targets.Skip(1));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            OpResponse response;
            try
            {
                await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, header, timeout.Token).ConfigureAwait(false);
                response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, TransferLimits.Default, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new PipelineException(targets[0].Id, $"setting up the pipeline at {DataNodeConnection.Describe(targets[0])} failed: {Cause(e)}", e);
            }
            if (response.Status == TransferStatus.ErrorDownstream && !string.IsNullOrEmpty(response.FirstBadLink))
            {
                throw new PipelineException(response.FirstBadLink,
                    $"the pipeline of block {block.Describe()} could not reach DataNode {response.FirstBadLink}" + Detail(response));
            }
            if (response.Status != TransferStatus.Success)
            {
                throw new PipelineException(targets[0].Id, $"DataNode {DataNodeConnection.Describe(targets[0])} refused block {block.Describe()}: {response.Status}" + Detail(response));
            }
            var writer = new BlockWriter(stream, block, targets, settings);
            writer._ackReader = Task.Run(writer.ReadAcksAsync, CancellationToken.None);
            return writer;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends one data packet, waiting for room in the window. The writer owns <paramref name="packet"/> from
    /// the call on, even when it throws: the packet is queued and a recovery resends it.
    /// </summary>
    public Task SendPacketAsync(PacketBuffer packet, long offsetInBlock, CancellationToken cancellationToken) =>
        SendAsync(packet, offsetInBlock, PacketFlags.None, cancellationToken);

    /// <summary>Sends the empty last packet and waits until every packet is acknowledged (every replica finalized).</summary>
    public async Task FinishAsync(long blockLength, CancellationToken cancellationToken)
    {
        await SendAsync(new PacketBuffer(0, _settings.BytesPerChecksum), blockLength, PacketFlags.LastPacketInBlock, cancellationToken).ConfigureAwait(false);
        await WaitForEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once the last packet of the block is queued (sent, or to be resent by a recovery).</summary>
    public bool EndQueued => _lastSeqNo >= 0;

    /// <summary>Waits until the last packet (already queued) is acknowledged.</summary>
    public async Task WaitForEndAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Finalizing may fsync on every node; allow it the idle timeout on top of the pipeline's drain.
        timeout.CancelAfter(_settings.Timeout * 2);
        try
        {
            await _lastAcked.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(new PipelineException(_targets[0].Id, $"no acknowledgement of the end of block {Block.Describe()} within {(_settings.Timeout * 2).TotalSeconds:0} s"));
        }
    }

    private async Task SendAsync(PacketBuffer packet, long offsetInBlock, PacketFlags flags, CancellationToken cancellationToken)
    {
        // Queued before anything can fail, so that a recovery finds it with the other unacknowledged packets.
        packet.Seal(_nextSeqNo++, offsetInBlock, flags);
        if ((flags & PacketFlags.LastPacketInBlock) != 0)
        {
            _lastSeqNo = packet.SeqNo;
        }
        lock (_lock)
        {
            _unacked.Enqueue(packet);
        }
        ThrowIfFailed();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_settings.Timeout);
            try
            {
                await _window.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Fail(new PipelineException(_targets[0].Id, $"no acknowledgement from the pipeline of block {Block.Describe()} for {_settings.Timeout.TotalSeconds:0} s"));
            }
        }
        ThrowIfFailed();
        await WriteWireAsync(packet, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteWireAsync(PacketBuffer packet, CancellationToken cancellationToken)
    {
        using var writeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        writeTimeout.CancelAfter(_settings.Timeout);
        try
        {
            await _stream.WriteAsync(packet.Wire, writeTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A node that died usually shows in an ack (which node) just before the socket breaks: prefer that verdict.
            await WaitForAckReaderAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            throw _failure ?? Fail(new PipelineException(_targets[0].Id, $"sending to {DataNodeConnection.Describe(_targets[0])} failed: {Cause(e)}", e));
        }
    }

    private async Task WaitForAckReaderAsync(TimeSpan limit)
    {
        if (_ackReader is not null)
        {
            await Task.WhenAny(_ackReader, Task.Delay(limit)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a pipeline that continues a block after a failure (stage RECOVERY), then resends the
    /// unacknowledged packets of <paramref name="resume"/>, whose ownership passes to the new writer once it
    /// is open (when opening fails they stay with the caller).
    /// </summary>
    public static async Task<BlockWriter> ResumeAsync(
        BlockRef block, IReadOnlyList<DataNodeAddress> targets, byte[] accessToken, string traceParent, string traceState,
        BlockWriteSettings settings, PipelineResume resume, CancellationToken cancellationToken)
    {
        var writer = await OpenAsync(block, targets, accessToken, traceParent, traceState, settings, cancellationToken, WriteStage.Recovery).ConfigureAwait(false);
        writer._nextSeqNo = resume.NextSeqNo;
        writer._lastSeqNo = resume.LastSeqNo;
        writer.BytesAcked = resume.AckedBytes;
        lock (writer._lock)
        {
            foreach (var packet in resume.Packets)
            {
                writer._unacked.Enqueue(packet);
            }
        }
        // The resent packets occupy the window; their acks release it as usual.
        for (var i = 0; i < resume.Packets.Count; i++)
        {
            writer._window.Wait(0, CancellationToken.None);
        }
        try
        {
            foreach (var packet in resume.Packets)
            {
                writer.ThrowIfFailed();
                await writer.WriteWireAsync(packet, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PipelineException)
        {
            // Recorded: the caller's next send or wait throws it and recovers again, with the packets still queued here.
        }
        return writer;
    }

    /// <summary>
    /// Stops this (failed) pipeline and takes its unacknowledged packets out, for <see cref="ResumeAsync"/>.
    /// The writer is disposed.
    /// </summary>
    public async Task<PipelineResume> DetachAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_ackReader is not null)
        {
            await _ackReader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        PacketBuffer[] packets;
        lock (_lock)
        {
            packets = [.. _unacked];
            _unacked.Clear();
        }
        var acked = packets.Length > 0 ? packets[0].OffsetInBlock : BytesAcked;
        await DisposeAsync().ConfigureAwait(false);
        return new PipelineResume(packets, _nextSeqNo, _lastSeqNo, acked);
    }

    private async Task ReadAcksAsync()
    {
        try
        {
            while (true)
            {
                PipelineAck ack;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    // Idle pipelines (no packet outstanding) are not timed out: the writer may be slow to produce data.
                    if (Unacknowledged > 0)
                    {
                        timeout.CancelAfter(_settings.Timeout);
                    }
                    ack = await TransferFraming.ReadMessageAsync(_stream, PipelineAck.Parser, TransferLimits.Default, timeout.Token).ConfigureAwait(false);
                }
                PacketBuffer packet;
                lock (_lock)
                {
                    if (!_unacked.TryPeek(out var head) || head.SeqNo != ack.Seqno)
                    {
                        throw new PipelineException(_targets[0].Id, $"unexpected acknowledgement {ack.Seqno} (expected {(head is null ? "none" : head.SeqNo)})");
                    }
                    var bad = FirstBadReply(ack);
                    if (bad >= 0)
                    {
                        // The packet stays queued: a pipeline recovery resends everything unacknowledged.
                        var node = bad < _targets.Count ? _targets[bad].Id : null;
                        var status = bad < ack.Replies.Count ? ack.Replies[bad].ToString() : "no reply";
                        throw new PipelineException(node, $"DataNode {node ?? "?"} failed packet {ack.Seqno} of block {Block.Describe()}: {status}");
                    }
                    packet = _unacked.Dequeue();
                }
                BytesAcked = Math.Max(BytesAcked, packet.OffsetInBlock + packet.DataLength);
                var wasLast = packet.SeqNo == _lastSeqNo;
                packet.Dispose();
                _window.Release();
                if (wasLast)
                {
                    _lastAcked.TrySetResult();
                    return;
                }
            }
        }
        catch (PipelineException e)
        {
            Fail(e);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Fail(new PipelineException(_targets[0].Id, $"reading acknowledgements from {DataNodeConnection.Describe(_targets[0])} failed: {Cause(e)}", e));
        }
        catch (Exception)
        {
            _lastAcked.TrySetCanceled();
        }
    }

    private int FirstBadReply(PipelineAck ack)
    {
        for (var i = 0; i < _targets.Count; i++)
        {
            if (i >= ack.Replies.Count || ack.Replies[i] != TransferStatus.Success)
            {
                return i;
            }
        }
        return -1;
    }

    private PipelineException Fail(PipelineException failure)
    {
        lock (_lock)
        {
            _failure ??= failure;
        }
        _lastAcked.TrySetException(_failure);
        // Wake a sender blocked on the window so it sees the failure.
        _window.Release(_settings.WindowPackets);
        return _failure;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    private static string Detail(OpResponse response) => string.IsNullOrEmpty(response.Message) ? "" : $" ({response.Message})";

    private static string Cause(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        SocketException s => ErrorTranslation.Describe(s.SocketErrorCode, s.Message),
        IOException { InnerException: SocketException s } => ErrorTranslation.Describe(s.SocketErrorCode, s.Message),
        _ => ErrorTranslation.OneLine(e.Message),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_ackReader is not null)
        {
            await _ackReader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        lock (_lock)
        {
            while (_unacked.TryDequeue(out var packet))
            {
                packet.Dispose();
            }
        }
        _window.Dispose();
        _stop.Dispose();
    }
}
