using System.Diagnostics;
using PyHdfs.Client.Internal;
using PyHdfs.Client.Read;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client;

/// <summary>
/// A complete file opened for reading: read-only and seekable. Block locations are fetched lazily in
/// ranges; bytes come from one DataNode connection per block range, every chunk verified. A failing or
/// corrupt replica (reported to the NameNode) is skipped and the read continues at the same position
/// from the next replica.
/// </summary>
public sealed class DfsInputStream : Stream
{
    private readonly IBlockLocator _locator;
    private readonly DfsClientOptions _options;
    private readonly ClusterTrust? _trust;
    private readonly Activity? _activity;
    private readonly Dictionary<long, Dictionary<string, string>> _failedNodes = [];
    private readonly HashSet<long> _refetched = [];
    private List<LocatedBlock> _blocks;
    private BlockReader? _reader;
    private LocatedBlock? _readerBlock;
    private Activity? _blockActivity;
    private long _position;
    private bool _disposed;

    /// <param name="trust">The cluster CA the client loaded (<see cref="DfsClientOptions.TlsCaPath"/>); null for plain TCP.</param>
    internal DfsInputStream(
        string path, GetBlockLocationsResponse initial, IBlockLocator locator, DfsClientOptions options, Activity? activity, ClusterTrust? trust = null)
    {
        Path = path;
        Status = initial.Status.ToPublic();
        _blocks = [.. initial.Blocks];
        _locator = locator;
        _options = options;
        _trust = trust;
        _activity = activity;
    }

    public string Path { get; }

    /// <summary>The file's status when it was opened.</summary>
    public DfsFileStatus Status { get; }

    /// <summary>The W3C trace id of this read's span, when tracing is enabled.</summary>
    public string? TraceId => _activity?.TraceId.ToHexString();

    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length => Status.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException($"{Path}: cannot seek before the beginning of the file");
        }
        if (target != _position)
        {
            CloseReaderAsync().AsTask().GetAwaiter().GetResult();
            _position = target;
        }
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }
        if (_activity is not null)
        {
            Activity.Current = _blockActivity ?? _activity;
        }
        while (true)
        {
            if (_reader is null)
            {
                await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            var block = _readerBlock!;
            var blockEnd = block.Offset + block.Block.NumBytes;
            var wanted = (int)Math.Min(buffer.Length, blockEnd - _position);
            int read;
            try
            {
                read = await _reader!.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException && !cancellationToken.IsCancellationRequested)
            {
                await ReplicaFailedAsync(block, _reader!.Node, e, cancellationToken).ConfigureAwait(false);
                await CloseReaderAsync().ConfigureAwait(false);
                continue;
            }
            if (read == 0)
            {
                await CloseReaderAsync().ConfigureAwait(false);
                if (_position < blockEnd)
                {
                    throw new DfsIOException(ErrorKind.Unspecified, Path, $"{Path}: block blk_{block.Block.BlockId} ended early at offset {_position}");
                }
                continue;
            }
            _position += read;
            _blockActivity?.SetTag("pyhdfs.bytes", _position - block.Offset);
            if (_position == blockEnd)
            {
                await CloseReaderAsync().ConfigureAwait(false);
            }
            return read;
        }
    }

    private async Task OpenReaderAsync(CancellationToken cancellationToken)
    {
        var block = await LocateAsync(_position, cancellationToken).ConfigureAwait(false);
        if (await TryOpenAsync(block, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        // Every known replica failed: the NameNode may know newer locations (re-replication, restarted nodes)
        // and gives fresh access tokens (ours may have expired during a long read). Ask once.
        if (_refetched.Add(block.Block.BlockId))
        {
            var response = await _locator.GetBlockLocationsAsync(_position, _options.LocationPrefetchBytes, cancellationToken).ConfigureAwait(false);
            _blocks = [.. response.Blocks];
            var fresh = Find(_position);
            var failed = FailuresOf(block.Block.BlockId);
            foreach (var refused in failed.Where(f => f.Value.StartsWith(BlockAccessRefusedException.Prefix, StringComparison.Ordinal)).ToList())
            {
                failed.Remove(refused.Key);
            }
            if (fresh is not null && fresh.Locations.Any(n => !failed.ContainsKey(n.Id))
                && await TryOpenAsync(fresh, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        var failures = FailuresOf(block.Block.BlockId);
        var kind = block.Locations.Count == 0 ? ErrorKind.BlockNotFound : ErrorKind.Unspecified;
        if (failures.Values.Any(f => f.StartsWith("checksum mismatch", StringComparison.Ordinal)) && failures.Values.All(f => f.StartsWith("checksum mismatch", StringComparison.Ordinal)))
        {
            kind = ErrorKind.ChecksumMismatch;
        }
        else if (failures.Count > 0 && failures.Values.All(f => f.StartsWith(BlockAccessRefusedException.Prefix, StringComparison.Ordinal)))
        {
            kind = ErrorKind.AccessTokenInvalid;
        }
        throw new DfsIOException(kind, Path,
            $"{Path}: could not read block blk_{block.Block.BlockId} at offset {_position} from any replica" +
            (failures.Count == 0 ? " (the block has no live replica)" : $" (tried {string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}"))})"));
    }

    private async Task<bool> TryOpenAsync(LocatedBlock block, CancellationToken cancellationToken)
    {
        var failed = FailuresOf(block.Block.BlockId);
        var offsetInBlock = _position - block.Offset;
        var activity = DfsClient.ActivitySource.StartActivity($"read block blk_{block.Block.BlockId}", ActivityKind.Client, _activity?.Context ?? default);
        activity?.SetTag("pyhdfs.path", Path);
        activity?.SetTag("pyhdfs.block_id", block.Block.BlockId);
        foreach (var node in block.Locations.Where(n => !failed.ContainsKey(n.Id)))
        {
            try
            {
                _reader = await BlockReader.OpenAsync(
                    block.Block, node, block.AccessToken.ToByteArray(), offsetInBlock, block.Block.NumBytes - offsetInBlock,
                    _options.ClientName, _options.DataNodeTimeout, _trust, cancellationToken).ConfigureAwait(false);
                _readerBlock = block;
                _blockActivity = activity;
                activity?.SetTag("pyhdfs.datanodes", node.Id);
                return true;
            }
            catch (IOException e)
            {
                await ReplicaFailedAsync(block, node, e, cancellationToken).ConfigureAwait(false);
            }
        }
        activity?.SetStatus(ActivityStatusCode.Error, "no replica could be read");
        activity?.Dispose();
        return false;
    }

    private Dictionary<string, string> FailuresOf(long blockId)
    {
        if (!_failedNodes.TryGetValue(blockId, out var failures))
        {
            _failedNodes[blockId] = failures = [];
        }
        return failures;
    }

    private async Task ReplicaFailedAsync(LocatedBlock block, DataNodeAddress node, Exception error, CancellationToken cancellationToken)
    {
        FailuresOf(block.Block.BlockId)[node.Id] = ErrorTranslation.OneLine(error.Message);
        _blockActivity?.AddEvent(new ActivityEvent("replica failed", tags: new ActivityTagsCollection { ["pyhdfs.datanode"] = node.Id, ["error"] = error.Message }));
        if (error is ChecksumMismatchException)
        {
            try
            {
                await _locator.ReportBadBlockAsync(block.Block, node.Id, error.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (DfsIOException)
            {
                // Reporting is a courtesy; the read goes on with the next replica.
            }
        }
    }

    private async Task<LocatedBlock> LocateAsync(long position, CancellationToken cancellationToken)
    {
        var found = Find(position);
        if (found is not null)
        {
            return found;
        }
        var response = await _locator.GetBlockLocationsAsync(position, _options.LocationPrefetchBytes, cancellationToken).ConfigureAwait(false);
        _blocks = [.. response.Blocks];
        return Find(position)
            ?? throw new DfsIOException(ErrorKind.BlockNotFound, Path, $"{Path}: the NameNode returned no block for offset {position}");
    }

    private LocatedBlock? Find(long position)
    {
        foreach (var block in _blocks)
        {
            if (position >= block.Offset && position < block.Offset + block.Block.NumBytes)
            {
                return block;
            }
        }
        return null;
    }

    private async ValueTask CloseReaderAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
            _reader = null;
        }
        _readerBlock = null;
        _blockActivity?.Dispose();
        _blockActivity = null;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("a DfsInputStream is read-only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a DfsInputStream is read-only");

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await CloseReaderAsync().ConfigureAwait(false);
            _activity?.SetTag("pyhdfs.bytes", _position);
            _activity?.Dispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            CloseReaderAsync().AsTask().GetAwaiter().GetResult();
            _activity?.Dispose();
        }
        base.Dispose(disposing);
    }
}
