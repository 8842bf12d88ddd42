using System.Diagnostics;
using PyHdfs.Client.Internal;
using PyHdfs.Client.Write;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client;

/// <summary>Append, truncate and set times (docs/client.md).</summary>
public sealed partial class DfsClient
{
    /// <summary>
    /// Reopens a complete file to write more bytes at its end (HDFS's append with NEW_BLOCK: the bytes go
    /// into new blocks). Readers keep seeing the old content until the stream is closed, which makes the
    /// appended bytes visible; disposing the stream after a failure (or <see cref="DfsOutputStream.Abort"/>)
    /// leaves the file exactly as it was. Errors: a missing file (FileNotFound), a directory (IsADirectory),
    /// a file being written by any client (LeaseConflict), no WRITE permission (PermissionDenied).
    /// </summary>
    public async Task<DfsOutputStream> AppendAsync(string path, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        var activity = ActivitySource.StartActivity($"append {p}", ActivityKind.Client);
        activity?.SetTag("pyhdfs.path", p);
        try
        {
            var request = new AppendRequest { Path = p, ClientName = ClientName };
            var response = await _invoker.CallAsync(p, (c, o) => c.AppendAsync(request, o), cancellationToken).ConfigureAwait(false);
            var status = response.Status ?? throw new DfsIOException(ErrorKind.Unspecified, p, $"{p}: the NameNode returned no file status");
            activity?.SetTag("pyhdfs.offset", status.Length);
            return OpenWriteStream(p, status, activity);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts the file to <paramref name="newLength"/> bytes (HDFS's truncate; WRITE permission). Returns true
    /// when the NameNode could do it at once (the length was already that, or the cut falls on a block
    /// boundary: the later blocks are dropped), false when the cut falls inside a block, which this call then
    /// rewrites: the kept part of that block is read and written as a new block, and completing the file
    /// replaces the old tail in one step. Either way the file has its new length when the task completes
    /// (there is nothing left to wait for); if the client dies during the rewrite, the file keeps its old
    /// length and content. A longer <paramref name="newLength"/> than the file is InvalidArgument.
    /// </summary>
    public async Task<bool> TruncateAsync(string path, long newLength, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        if (newLength < 0)
        {
            throw new DfsIOException(ErrorKind.InvalidArgument, p, $"{p}: cannot truncate to a negative length ({newLength})");
        }
        using var activity = ActivitySource.StartActivity($"truncate {p}", ActivityKind.Client);
        activity?.SetTag("pyhdfs.path", p);
        activity?.SetTag("pyhdfs.new_length", newLength);
        var request = new TruncateRequest { Path = p, NewLength = newLength, ClientName = ClientName };
        var response = await _invoker.CallAsync(p, (c, o) => c.TruncateAsync(request, o), cancellationToken).ConfigureAwait(false);
        activity?.SetTag("pyhdfs.completed", response.Completed);
        if (response.Completed)
        {
            return true;
        }
        var status = response.Status ?? throw new DfsIOException(ErrorKind.Unspecified, p, $"{p}: the NameNode returned no file status");
        await RewriteTailAsync(p, status, response.RewriteOffset, newLength, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Writes bytes [offset, end) of the file's visible content into the write path of the reopened file and completes it.</summary>
    private async Task RewriteTailAsync(string path, FileStatus status, long offset, long end, CancellationToken cancellationToken)
    {
        var output = OpenWriteStream(path, status, activity: null);
        try
        {
            await using (var input = await OpenAsync(path, cancellationToken).ConfigureAwait(false))
            {
                input.Seek(offset, SeekOrigin.Begin);
                var buffer = new byte[Math.Min(1L << 20, Math.Max(1, end - offset))];
                for (var remaining = end - offset; remaining > 0;)
                {
                    var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new DfsIOException(ErrorKind.Unspecified, path, $"{path}: the file ended at offset {end - remaining} while rewriting its last block up to {end}");
                    }
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                }
            }
            await output.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Abandons the rewrite (never a close: that would complete a partial block): the file keeps its old content.
            await output.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    private DfsOutputStream OpenWriteStream(string path, FileStatus status, Activity? activity)
    {
        var blockSize = status.BlockSize > 0 ? status.BlockSize : 128L << 20;
        activity?.SetTag("pyhdfs.block_size", blockSize);
        activity?.SetTag("pyhdfs.replication", status.Replication);
        _leaseRenewer.Acquire();
        var target = new NameNodeWriteTarget(_invoker, path, status.FileId, ClientName);
        return new DfsOutputStream(path, blockSize, status.Replication, target, Options, activity, _leaseRenewer.Release, _trust);
    }

    /// <summary>
    /// setTimes: the modification and access time in ms since the epoch, -1 leaving one unchanged (HDFS's
    /// semantics; a directory has no access time). Only the owner or the superuser.
    /// </summary>
    public Task SetTimesAsync(string path, long modificationTimeMs, long accessTimeMs, CancellationToken cancellationToken = default)
    {
        var p = Normalize(path);
        if (modificationTimeMs < -1 || accessTimeMs < -1)
        {
            throw new DfsIOException(ErrorKind.InvalidArgument, p, $"{p}: times are ms since the epoch or -1 (unchanged), not {modificationTimeMs} and {accessTimeMs}");
        }
        var request = new SetTimesRequest { Path = p, MtimeMs = modificationTimeMs, AtimeMs = accessTimeMs };
        return _invoker.CallAsync(p, (c, o) => c.SetTimesAsync(request, o), cancellationToken);
    }
}
