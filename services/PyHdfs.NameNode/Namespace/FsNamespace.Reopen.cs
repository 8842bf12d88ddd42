using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// Append and truncate: a complete file is reopened under a writer's lease (<see cref="ReopenFileOp"/>)
/// and keeps its old content visible while the writer adds new blocks through the ordinary write
/// path; <see cref="CompleteAsync"/> then makes the new tail visible in one journaled op, and an
/// abandoned or expired write reverts to the old content (<see cref="RevertReopenOp"/>).
/// </summary>
internal sealed partial class FsNamespace
{
    /// <summary>
    /// Reopens the file for <paramref name="clientName"/> (HDFS's append with CreateFlag.NEW_BLOCK: the
    /// bytes written go into new blocks; the last block, even partial, stays as it is). Needs WRITE on
    /// the file. Returns the file's status as visible now (its current length).
    /// </summary>
    public async Task<FileStatus> AppendAsync(string rawPath, string clientName, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        if (string.IsNullOrWhiteSpace(clientName))
        {
            throw FsErrors.Invalid(path, "append needs a client name (the lease holder)");
        }
        long txid;
        FileStatus status;
        lock (SyncRoot)
        {
            CheckPermission(caller, path, access: FsAccess.Write);
            var file = ResolveClosedFile(path, clientName, out var retried);
            if (retried && file.ReplaceFrom == file.ReopenedAt)
            {
                // The same writer asked again (its answer was lost) before writing anything.
                txid = _editLog.LastTxid;
            }
            else if (retried)
            {
                throw FsErrors.LeaseConflict(path, $"{clientName} (its own truncate)");
            }
            else
            {
                txid = Log(new NamespaceOp { ReopenFile = new ReopenFileOp { InodeId = file.Id, ClientName = clientName, ReplaceFrom = file.Blocks.Length } });
            }
            status = StatusOf(file, path);
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>
    /// HDFS's truncate. At the current length: nothing to do, completed. At a block boundary: the later
    /// blocks are dropped (journaled; their replicas deleted through the usual invalidation), completed.
    /// Inside a block: the file is reopened for <paramref name="clientName"/>, who must rewrite the kept
    /// part of that block (bytes [<c>rewrite_offset</c>, new length)) as a new block and complete the
    /// file; completion replaces the old tail in one op, an abandoned rewrite leaves the file as it was.
    /// Needs WRITE on the file.
    /// </summary>
    public async Task<TruncateResponse> TruncateAsync(string rawPath, long newLength, string clientName, Caller? caller,
        CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        if (newLength < 0)
        {
            throw FsErrors.Invalid(path, $"cannot truncate to a negative length ({newLength})");
        }
        long txid;
        var response = new TruncateResponse { Completed = true };
        lock (SyncRoot)
        {
            CheckPermission(caller, path, access: FsAccess.Write);
            var file = ResolveClosedFile(path, clientName, out var retried);
            var length = file.Length;
            if (newLength > length)
            {
                throw FsErrors.Invalid(path, $"cannot truncate to {newLength} bytes: the file is only {length} bytes long");
            }
            var (index, blockOffset) = BlockAt(file, newLength);
            if (retried)
            {
                if (file.ReplaceFrom == index && blockOffset < newLength && file.ReopenedAt == file.Blocks.Length)
                {
                    response.Completed = false; // the same truncate again (its answer was lost)
                    response.RewriteOffset = blockOffset;
                    txid = _editLog.LastTxid;
                    goto Done;
                }
                throw FsErrors.LeaseConflict(path, clientName);
            }
            if (newLength == length)
            {
                txid = _editLog.LastTxid;
            }
            else if (newLength == blockOffset)
            {
                txid = Log(new NamespaceOp { Truncate = new TruncateOp { InodeId = file.Id, BlockCount = index } });
            }
            else
            {
                if (string.IsNullOrWhiteSpace(clientName))
                {
                    throw FsErrors.Invalid(path, "a truncate inside a block needs a client name (the lease holder of the rewrite)");
                }
                txid = Log(new NamespaceOp { ReopenFile = new ReopenFileOp { InodeId = file.Id, ClientName = clientName, ReplaceFrom = index } });
                response.Completed = false;
                response.RewriteOffset = blockOffset;
            }
        Done:
            response.Status = StatusOf(file, path);
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// The complete file at a path for append or truncate. A file being written is LEASE_CONFLICT,
    /// unless <paramref name="clientName"/> itself reopened it and has not written yet
    /// (<paramref name="retried"/>: the caller decides whether it is the same request again).
    /// </summary>
    private FileInode ResolveClosedFile(string path, string clientName, out bool retried)
    {
        retried = false;
        switch (Resolve(path))
        {
            case null:
                throw FsErrors.NotFound(path);
            case DirectoryInode:
                throw FsErrors.IsADirectory(path);
            case FileInode { UnderConstruction: true } open:
                if (open.Reopened && open.LeaseHolder == clientName && open.LastBlock is null)
                {
                    retried = true;
                    Leases.Renew(clientName, NowMs);
                    return open;
                }
                throw FsErrors.LeaseConflict(path, open.LeaseHolder!);
            case FileInode file:
                return file;
            default:
                throw new InvalidOperationException($"{path}: unknown inode kind");
        }
    }

    /// <summary>The index of the visible block holding byte <paramref name="position"/> and that block's offset (the block count and the length at the end).</summary>
    private static (int Index, long Offset) BlockAt(FileInode file, long position)
    {
        long offset = 0;
        var blocks = file.VisibleBlocks;
        for (var i = 0; i < blocks.Length; i++)
        {
            if (position < offset + blocks[i].NumBytes)
            {
                return (i, offset);
            }
            offset += blocks[i].NumBytes;
        }
        return (blocks.Length, offset);
    }

    /// <summary>
    /// setTimes: modification and access time in ms since the epoch, -1 leaving one unchanged (HDFS's
    /// semantics; directories have no access time). Only the owner or the superuser.
    /// </summary>
    public async Task SetTimesAsync(string rawPath, long mtimeMs, long atimeMs, Caller? caller, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(rawPath);
        if (mtimeMs < -1 || atimeMs < -1)
        {
            throw FsErrors.Invalid(path, $"times must be ms since the epoch or -1 (unchanged), not mtime={mtimeMs} atime={atimeMs}");
        }
        long txid;
        lock (SyncRoot)
        {
            CheckPermission(caller, path, owner: true);
            var node = ResolveVisible(path);
            var atimeChanges = atimeMs >= 0 && node is FileInode file && file.AccessTimeMs != atimeMs;
            var mtimeChanges = mtimeMs >= 0 && node.ModificationTimeMs != mtimeMs;
            txid = atimeChanges || mtimeChanges
                ? Log(new NamespaceOp { SetTimes = new SetTimesOp { InodeId = node.Id, MtimeMs = mtimeMs, AtimeMs = atimeMs } })
                : _editLog.LastTxid;
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }
}
