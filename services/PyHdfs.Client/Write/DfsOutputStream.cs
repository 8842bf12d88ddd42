using System.Diagnostics;
using PyHdfs.Client.Internal;
using PyHdfs.Client.Write;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client;

/// <summary>
/// A file being written: write-only, sequential. Bytes are cut into packets of at most 256 KiB and
/// streamed to a pipeline of DataNodes per block; memory stays bounded by the ack window whatever
/// the file size. The file becomes visible only when <see cref="CloseAsync"/> (or dispose) completes
/// it; after a failure, or <see cref="AbortAsync"/>, the file is abandoned. <see cref="Flush"/> does
/// not make data visible.
/// </summary>
public sealed partial class DfsOutputStream : Stream
{
    private const int MaxPipelineSetupRetries = 3;
    private const int MaxRecoveriesPerBlock = 3;

    private readonly IWriteTarget _target;
    private readonly BlockWriteSettings _settings;
    private readonly int _packetSize;
    private readonly TimeSpan _completeTimeout;
    private readonly Activity? _activity;
    private readonly Action? _onClosed;
    private readonly PacketPool _pool;
    private PacketBuffer? _packet;
    private BlockWriter? _writer;
    private Activity? _blockActivity;
    private BlockRef? _lastFinished;
    private long _bytesInBlock;
    private long _position;
    private int _blocks;
    private int _recoveriesInBlock;
    private byte[] _accessToken = [];
    private Exception? _failure;
    private bool _closed;

    /// <param name="trust">The cluster CA the client loaded (<see cref="DfsClientOptions.TlsCaPath"/>); null for plain TCP.</param>
    internal DfsOutputStream(
        string path, long blockSize, int expectedReplicas, IWriteTarget target, DfsClientOptions options, Activity? activity, Action? onClosed,
        ClusterTrust? trust = null)
    {
        Path = path;
        BlockSizeBytes = blockSize;
        ExpectedReplicas = expectedReplicas;
        _target = target;
        _settings = BlockWriteSettings.From(options, trust);
        _packetSize = options.PacketSizeBytes;
        _completeTimeout = options.CompleteTimeout;
        _activity = activity;
        _onClosed = onClosed;
        _pool = new PacketPool(options.PacketSizeBytes, options.BytesPerChecksum, options.WriteWindowPackets + 2);
    }

    public string Path { get; }

    public long BlockSizeBytes { get; }

    /// <summary>The file's replication factor as the NameNode set it.</summary>
    public int ExpectedReplicas { get; private set; }

    /// <summary>The fewest DataNodes any block of this file was written to (null before the first block).</summary>
    public int? MinReplicasWritten { get; private set; }

    /// <summary>True when some block was stored on fewer DataNodes than <see cref="ExpectedReplicas"/>.</summary>
    public bool IsDegraded => MinReplicasWritten < ExpectedReplicas;

    /// <summary>The W3C trace id of this write's span, when tracing is enabled.</summary>
    public string? TraceId => _activity?.TraceId.ToHexString();

    /// <summary>Raised when a block is written to fewer DataNodes than the file's replication (at its start, and after a pipeline recovery).</summary>
    public event EventHandler<DfsDegradedWriteEventArgs>? DegradedWrite;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_closed && _failure is null;
    public override long Length => _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("a DfsOutputStream is written sequentially");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var copy = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            WriteAsync(copy.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        EnterSpan();
        try
        {
            while (!buffer.IsEmpty)
            {
                _packet ??= new PacketBuffer(_pool, PacketPlanner.Capacity(BlockSizeBytes, _bytesInBlock, _packetSize));
                var copied = _packet.Append(buffer.Span);
                buffer = buffer[copied..];
                _position += copied;
                if (_packet.Free == 0)
                {
                    await SendPacketAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw Translate(e);
        }
    }

    /// <summary>Does nothing: data becomes visible at close. (hflush is not supported yet.)</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a DfsOutputStream is write-only");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a DfsOutputStream is written sequentially");
    public override void SetLength(long value) => throw new NotSupportedException("a DfsOutputStream is written sequentially");

    /// <summary>Sends what is buffered, ends the last block and completes the file (retrying while its last block is not yet replicated).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }
        if (_failure is not null)
        {
            await AbortAsync().ConfigureAwait(false);
            return;
        }
        EnterSpan();
        try
        {
            if (_packet is { DataLength: > 0 })
            {
                await SendPacketAsync(cancellationToken).ConfigureAwait(false);
            }
            if (_writer is not null)
            {
                await FinishBlockAsync(cancellationToken).ConfigureAwait(false);
            }
            await CompleteAsync(cancellationToken).ConfigureAwait(false);
            _closed = true;
            _activity?.SetTag("pyhdfs.bytes", _position);
            _activity?.SetTag("pyhdfs.blocks", _blocks);
            EndSpan(ActivityStatusCode.Ok, null);
        }
        catch (Exception e)
        {
            _failure ??= e;
            await AbortAsync().ConfigureAwait(false);
            throw Translate(e);
        }
        finally
        {
            ReleaseBuffers();
        }
    }

    /// <summary>Gives the file up: the NameNode removes a created file and its blocks, and reverts an appended one to its old content. Safe to call more than once.</summary>
    public async Task AbortAsync()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        _failure ??= new OperationCanceledException("the write was aborted");
        ReleaseBuffers();
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
        _blockActivity?.SetStatus(ActivityStatusCode.Error, "aborted");
        _blockActivity?.Dispose();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _target.AbandonFileAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the lease expiry removes the file anyway.
        }
        EndSpan(ActivityStatusCode.Error, _failure.Message);
    }

    /// <summary>Synchronous <see cref="AbortAsync"/>.</summary>
    public void Abort() => AbortAsync().GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            CloseAsync().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    private async Task SendPacketAsync(CancellationToken cancellationToken)
    {
        var packet = _packet!;
        _packet = null;
        try
        {
            if (_writer is null)
            {
                await StartBlockAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            packet.Dispose();
            throw;
        }
        var length = packet.DataLength;
        try
        {
            await _writer!.SendPacketAsync(packet, _bytesInBlock, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineException e)
        {
            await RecoverPipelineAsync(e, cancellationToken).ConfigureAwait(false);
        }
        _bytesInBlock += length;
        if (_bytesInBlock == BlockSizeBytes)
        {
            await FinishBlockAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Allocates the next block and opens its pipeline. A pipeline that cannot be set up is abandoned and
    /// a new block is asked for without the node to blame, up to <see cref="MaxPipelineSetupRetries"/> times.
    /// </summary>
    private async Task StartBlockAsync(CancellationToken cancellationToken)
    {
        if (_activity is not null)
        {
            Activity.Current = _activity;
        }
        var excluded = new List<string>();
        var failures = new List<string>();
        for (var attempt = 0; ; attempt++)
        {
            var response = await AddBlockAsync(excluded, cancellationToken).ConfigureAwait(false);
            var located = response.Block ?? throw new DfsIOException(ErrorKind.Unspecified, Path, $"{Path}: the NameNode allocated no block");
            var targets = located.Locations.ToArray();
            var activity = DfsClient.ActivitySource.StartActivity($"write block blk_{located.Block.BlockId}", ActivityKind.Client, _activity?.Context ?? default);
            activity?.SetTag("pyhdfs.path", Path);
            activity?.SetTag("pyhdfs.block_id", located.Block.BlockId);
            activity?.SetTag("pyhdfs.datanodes", string.Join(",", targets.Select(t => t.Id)));
            try
            {
                if (targets.Length == 0)
                {
                    throw new DfsIOException(ErrorKind.NotEnoughDatanodes, Path, $"{Path}: no DataNode available for block blk_{located.Block.BlockId}");
                }
                _writer = await BlockWriter.OpenAsync(
                    located.Block.Clone(), targets, located.AccessToken.ToByteArray(),
                    activity?.Id ?? "", activity?.TraceStateString ?? "", _settings, cancellationToken).ConfigureAwait(false);
                _blockActivity = activity;
                _accessToken = located.AccessToken.ToByteArray();
                _recoveriesInBlock = 0;
                _bytesInBlock = 0;
                _blocks++;
                NoteReplicas(located, targets.Length, response.ExpectedReplicas);
                return;
            }
            catch (PipelineException e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                activity?.Dispose();
                failures.Add(e.Message);
                try
                {
                    await _target.AbandonBlockAsync(located.Block, cancellationToken).ConfigureAwait(false);
                }
                catch (DfsIOException)
                {
                    // The NameNode forgets blocks of abandoned files anyway; keep trying new pipelines.
                }
                if (attempt >= MaxPipelineSetupRetries)
                {
                    throw new DfsIOException(ErrorKind.NotEnoughDatanodes, Path,
                        $"{Path}: could not set up a write pipeline after {attempt + 1} attempts ({string.Join("; ", failures)})", e);
                }
                excluded.Add(e.BadNodeId ?? targets[0].Id);
            }
            catch
            {
                activity?.Dispose();
                throw;
            }
        }
    }

    /// <summary>AddBlock, retried with backoff while the NameNode says the previous block is not yet replicated.</summary>
    private async Task<AddBlockResponse> AddBlockAsync(IReadOnlyCollection<string> excluded, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await _target.AddBlockAsync(_lastFinished, excluded, cancellationToken).ConfigureAwait(false);
            }
            catch (DfsIOException e) when (e.Kind == ErrorKind.NotYetReplicated && clock.Elapsed + delay < _completeTimeout)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = NextDelay(delay);
            }
        }
    }

    private static TimeSpan NextDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));

    private async Task FinishBlockAsync(CancellationToken cancellationToken)
    {
        if (BeforeBlockEnd is { } hook)
        {
            await hook(this).ConfigureAwait(false);
        }
        while (true)
        {
            try
            {
                if (_writer!.EndQueued)
                {
                    await _writer.WaitForEndAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _writer.FinishAsync(_bytesInBlock, cancellationToken).ConfigureAwait(false);
                }
                break;
            }
            catch (PipelineException e)
            {
                await RecoverPipelineAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
        var writer = _writer;
        _lastFinished = new BlockRef(writer.Block) { NumBytes = _bytesInBlock };
        _writer = null;
        await writer.DisposeAsync().ConfigureAwait(false);
        _blockActivity?.SetTag("pyhdfs.bytes", _bytesInBlock);
        _blockActivity?.Dispose();
        _blockActivity = null;
        _bytesInBlock = 0;
    }

    private async Task CompleteAsync(CancellationToken cancellationToken)
    {
        // Complete belongs to the file, not to its last block (whose span the caller's flow may still hold).
        if (_activity is not null)
        {
            Activity.Current = _activity;
        }
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            bool completed;
            try
            {
                completed = await _target.CompleteAsync(_lastFinished, cancellationToken).ConfigureAwait(false);
            }
            catch (DfsIOException e) when (e.Kind == ErrorKind.NotYetReplicated)
            {
                completed = false;
            }
            if (completed)
            {
                return;
            }
            if (clock.Elapsed + delay > _completeTimeout)
            {
                throw new DfsIOException(ErrorKind.NotYetReplicated, Path,
                    $"{Path}: the last block did not reach minimum replication within {_completeTimeout.TotalSeconds:0} s; the file was not completed");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = NextDelay(delay);
        }
    }

    private void NoteReplicas(LocatedBlock located, int replicas, int expected)
    {
        if (expected > 0)
        {
            ExpectedReplicas = expected;
        }
        MinReplicasWritten = MinReplicasWritten is null ? replicas : Math.Min(MinReplicasWritten.Value, replicas);
        if (expected > replicas)
        {
            DegradedWrite?.Invoke(this, new DfsDegradedWriteEventArgs(Path, located.Block.BlockId, replicas, expected));
        }
    }

    private void EnterSpan()
    {
        if (_activity is not null)
        {
            Activity.Current = _blockActivity ?? _activity;
        }
    }

    private void EndSpan(ActivityStatusCode status, string? description)
    {
        _onClosed?.Invoke();
        if (_activity is not null)
        {
            _activity.SetStatus(status, description);
            _activity.Dispose();
        }
    }

    private void ReleaseBuffers()
    {
        _packet?.Dispose();
        _packet = null;
    }

    private void ThrowIfNotWritable()
    {
        if (_failure is not null)
        {
            throw new DfsIOException(ErrorKind.Unspecified, Path, $"{Path}: the write already failed: {_failure.Message}", _failure);
        }
        ObjectDisposedException.ThrowIf(_closed, this);
    }

    private Exception Translate(Exception e) => e switch
    {
        DfsIOException or OperationCanceledException => e,
        PipelineException p => new DfsIOException(ErrorKind.Unspecified, Path, $"{Path}: {p.Message}", p),
        _ => new DfsIOException(ErrorKind.Unspecified, Path, $"{Path}: {ErrorTranslation.OneLine(e.Message)}", e),
    };
}
