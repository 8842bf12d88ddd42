using PyHdfs.NameNode.Blocks;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace;

/// <summary>The write path of a file under construction: blocks, complete, abandon, leases.</summary>
internal sealed partial class FsNamespace
{
    /// <summary>
    /// The file under construction a writer addresses: by file id when given (it survives a
    /// rename of the file or a parent), else by path; the caller must hold its lease.
    /// </summary>
    private FileInode ResolveLeasedFile(string path, long fileId, string clientName)
    {
        var node = fileId != 0 ? _inodes.GetValueOrDefault(fileId) : Resolve(path);
        switch (node)
        {
            case null:
                throw FsErrors.NotFound(path);
            case DirectoryInode:
                throw FsErrors.IsADirectory(path);
        }
        var file = (FileInode)node;
        if (file.LeaseHolder != clientName)
        {
            throw FsErrors.NotLeaseHolder(path, file.LeaseHolder ?? "", clientName);
        }
        Leases.Renew(clientName, NowMs);
        return file;
    }

    public async Task<AddBlockResponse> AddBlockAsync(AddBlockRequest request, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        long txid;
        AddBlockResponse response;
        lock (SyncRoot)
        {
            var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
            var previous = request.Previous is { BlockId: not 0 } p ? p : null;
            var blocks = file.WriteBlocks.ToArray();
            var last = file.LastBlock;
            var offset = WriteOffset(file) + blocks.Take(Math.Max(0, blocks.Length - 1)).Sum(b => b.NumBytes);

            // A retried AddBlock (its answer was lost): the last block is the one allocated for it.
            var penultimate = blocks.Length >= 2 ? blocks[^2] : null;
            if (last is not null && last.ReplicaCount == 0 && !last.LengthKnown
                && (previous is null ? blocks.Length == 1 : penultimate?.BlockId == previous.BlockId))
            {
                var retryTargets = ChooseTargets(path, file, request.ExcludedDatanodeIds);
                return Located(file, last, offset, retryTargets);
            }

            if (previous is null && last is not null)
            {
                throw FsErrors.Invalid(path, $"the previous block is missing: the file already ends with block {last.BlockId}");
            }
            if (previous is not null)
            {
                if (last is null || last.BlockId != previous.BlockId)
                {
                    throw FsErrors.Invalid(path, $"block {previous.BlockId} is not the last block of the file" +
                        (last is null ? " (it has no blocks)" : $" (the last is {last.BlockId})"));
                }
                if (last.GenerationStamp != previous.GenerationStamp)
                {
                    throw FsErrors.Invalid(path, $"block {previous.BlockId} has generation stamp {last.GenerationStamp}, not {previous.GenerationStamp}");
                }
                if (last.LengthKnown && last.NumBytes != previous.NumBytes)
                {
                    throw FsErrors.Invalid(path, $"block {previous.BlockId} is {last.NumBytes} bytes long, not {previous.NumBytes}");
                }
                if (previous.NumBytes < 0 || previous.NumBytes > file.PreferredBlockSize)
                {
                    throw FsErrors.Invalid(path, $"block {previous.BlockId} cannot be {previous.NumBytes} bytes long (block size {file.PreferredBlockSize})");
                }
            }

            var targets = ChooseTargets(path, file, request.ExcludedDatanodeIds);
            var blockId = ++_lastBlockId;
            var generationStamp = ++_lastGenerationStamp;
            var op = new AddBlockOp
            {
                InodeId = file.Id,
                Block = new BlockRef { BlockId = blockId, GenerationStamp = generationStamp },
            };
            if (previous is not null)
            {
                op.Previous = previous.Clone();
                offset += previous.NumBytes;
            }
            txid = Log(new NamespaceOp { AddBlock = op });
            foreach (var target in targets)
            {
                _dataNodes.Schedule(target.Id, blockId, file.PreferredBlockSize);
            }
            response = Located(file, file.LastBlock!, offset, targets);
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>Where the write path starts in the file once it completes: 0, or the length of the blocks a reopened file keeps.</summary>
    private static long WriteOffset(FileInode file)
    {
        long offset = 0;
        for (var i = 0; i < (file.Reopened ? file.ReplaceFrom : 0); i++)
        {
            offset += file.Blocks[i].NumBytes;
        }
        return offset;
    }

    private IReadOnlyList<Placement.PlacementCandidate> ChooseTargets(string path, FileInode file, IReadOnlyCollection<string> excluded) =>
        _placement.ChooseTargets(path, file.Replication, _options.MinReplication, file.PreferredBlockSize,
            _dataNodes.LiveCandidates(), excluded);

    private static AddBlockResponse Located(FileInode file, BlockInfo block, long offset, IReadOnlyList<Placement.PlacementCandidate> targets)
    {
        var located = new LocatedBlock { Block = block.ToRef(), Offset = offset };
        located.Locations.AddRange(targets.Select(t => t.Address));
        return new AddBlockResponse { Block = located, ExpectedReplicas = file.Replication };
    }

    public async Task AbandonBlockAsync(AbandonBlockRequest request, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        long txid;
        lock (SyncRoot)
        {
            var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
            var blockId = request.Block?.BlockId ?? 0;
            if (file.LastBlock is { } last && last.BlockId == blockId)
            {
                txid = Log(new NamespaceOp { AbandonBlock = new AbandonBlockOp { InodeId = file.Id, BlockId = blockId } });
            }
            else if (file.Blocks.Any(b => b.BlockId == blockId))
            {
                throw FsErrors.Invalid(path, $"block {blockId} is not the last block of the file: only the last can be abandoned");
            }
            else
            {
                txid = _editLog.LastTxid; // already abandoned (a retry)
            }
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True once the file is complete and visible. False (nothing journaled) while a block has
    /// fewer than min(MinReplication, replication) live finalized replicas of the expected length:
    /// the client retries shortly.
    /// </summary>
    public async Task<bool> CompleteAsync(CompleteRequest request, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        long txid;
        lock (SyncRoot)
        {
            if (request.FileId != 0 && _inodes.GetValueOrDefault(request.FileId) is FileInode { UnderConstruction: false } done
                && (request.Last is null || done.LastBlock?.BlockId == request.Last.BlockId))
            {
                txid = _editLog.LastTxid; // a retried complete whose answer was lost
                goto Sync;
            }
            var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
            var last = file.LastBlock;
            var declared = request.Last is { BlockId: not 0 } l ? l : null;
            if (declared is null != last is null || (declared is not null && declared.BlockId != last!.BlockId))
            {
                throw FsErrors.Invalid(path, last is null
                    ? $"the file has no blocks, but complete names block {declared!.BlockId}"
                    : $"the last block of the file is {last.BlockId}, complete names {(declared is null ? "none" : declared.BlockId)}");
            }
            if (last is not null)
            {
                if (last.GenerationStamp != declared!.GenerationStamp)
                {
                    throw FsErrors.Invalid(path, $"block {last.BlockId} has generation stamp {last.GenerationStamp}, not {declared.GenerationStamp}");
                }
                if (last.LengthKnown && last.NumBytes != declared.NumBytes)
                {
                    throw FsErrors.Invalid(path, $"block {last.BlockId} is {last.NumBytes} bytes long, not {declared.NumBytes}");
                }
                if (declared.NumBytes < 0 || declared.NumBytes > file.PreferredBlockSize)
                {
                    throw FsErrors.Invalid(path, $"block {last.BlockId} cannot be {declared.NumBytes} bytes long (block size {file.PreferredBlockSize})");
                }
                // Kept in memory only: journaled with the CompleteFileOp once replication suffices.
                FixLength(last, declared.NumBytes);
            }
            var needed = Math.Min(_options.MinReplication, (int)file.Replication);
            foreach (var block in file.WriteBlocks)
            {
                if (_dataNodes.CountLive(block.Nodes) < needed)
                {
                    return false;
                }
            }
            // A reopened file lists only its new tail: the kept blocks are unchanged.
            var op = new CompleteFileOp { InodeId = file.Id };
            foreach (var block in file.WriteBlocks)
            {
                op.Blocks.Add(block.ToRef());
            }
            txid = Log(new NamespaceOp { CompleteFile = op });
        }
    Sync:
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task AbandonFileAsync(AbandonFileRequest request, CancellationToken cancellationToken)
    {
        var path = DfsPath.Normalize(request.Path);
        long txid;
        lock (SyncRoot)
        {
            var node = request.FileId != 0 ? _inodes.GetValueOrDefault(request.FileId) : Resolve(path);
            if (node is null)
            {
                txid = _editLog.LastTxid; // already gone (a retry, or the lease expired)
            }
            else
            {
                var file = ResolveLeasedFile(path, request.FileId, request.ClientName);
                txid = Log(AbandonOp(file));
            }
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How an abandoned write ends: a created file is removed; a reopened one (append, truncate)
    /// gets its old content back, the new tail dropped (those bytes were never acknowledged).
    /// </summary>
    private static NamespaceOp AbandonOp(FileInode file) => file.Reopened
        ? new NamespaceOp { RevertReopen = new RevertReopenOp { InodeId = file.Id } }
        : new NamespaceOp { Delete = new DeleteOp { InodeId = file.Id } };

    /// <summary>Renews every lease of the client; false when it holds none.</summary>
    public bool RenewLease(string clientName)
    {
        lock (SyncRoot)
        {
            return Leases.Renew(clientName, NowMs);
        }
    }

    /// <summary>
    /// Ends the writes of writers silent for longer than the hard limit: a created file is removed,
    /// a reopened one reverted to its old content (journaled; the dropped blocks become garbage).
    /// Returns the paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        long txid = 0;
        lock (SyncRoot)
        {
            foreach (var (holder, fileId) in Leases.Expired(NowMs, _options.LeaseHardLimitMs))
            {
                if (_inodes.GetValueOrDefault(fileId) is FileInode { UnderConstruction: true } file && file.LeaseHolder == holder)
                {
                    removed.Add(PathOf(file));
                    txid = Log(AbandonOp(file));
                }
                else
                {
                    Leases.Remove(holder, fileId);
                }
            }
        }
        await SyncAsync(txid, cancellationToken).ConfigureAwait(false);
        return removed;
    }
}
