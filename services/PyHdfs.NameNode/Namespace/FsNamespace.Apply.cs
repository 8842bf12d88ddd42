using Microsoft.Extensions.Logging;
using PyHdfs.NameNode.Blocks;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Namespace;

internal sealed partial class FsNamespace
{
    /// <summary>
    /// Replays a journaled op (a standby tailing the journal, or a test rebuilding a tree). An op
    /// carrying a client request id also fills the retry cache with the answer the active gave.
    /// </summary>
    public void ApplyJournaled(NamespaceOp op)
    {
        lock (SyncRoot)
        {
            DeleteResponse? deleted = null;
            if (op.ClientRequestId.Length > 0 && op.OpCase == NamespaceOp.OpOneofCase.Delete)
            {
                deleted = new DeleteResponse();
                CountSubtree(InodeById(op.Delete.InodeId), deleted);
            }
            Apply(op);
            if (op.ClientRequestId.Length == 0)
            {
                return;
            }
            switch (op.OpCase)
            {
                case NamespaceOp.OpOneofCase.CreateFile:
                    var file = _inodes[op.CreateFile.InodeId];
                    _retryCache.Add("create", op.ClientRequestId, StatusOf(file, PathOf(file)));
                    break;
                case NamespaceOp.OpOneofCase.Rename:
                    _retryCache.Add("rename", op.ClientRequestId, RenameDone);
                    break;
                case NamespaceOp.OpOneofCase.Delete:
                    _retryCache.Add("delete", op.ClientRequestId, deleted!);
                    break;
            }
        }
    }

    /// <summary>On becoming active: writers of files under construction get a full lease period from now.</summary>
    public void RenewAllLeases()
    {
        lock (SyncRoot)
        {
            Leases.RenewAll(NowMs);
        }
    }

    /// <summary>Complete blocks, and those of them with at least one reported replica (safe mode).</summary>
    public (long Total, long Reported) CountReportedBlocks()
    {
        lock (SyncRoot)
        {
            long total = 0;
            long reported = 0;
            foreach (var block in Blocks.All)
            {
                if (!block.LengthKnown)
                {
                    continue;
                }
                total++;
                if (block.ReplicaCount > 0)
                {
                    reported++;
                }
            }
            return (total, reported);
        }
    }

    /// <summary>
    /// Applies one op to memory. The live path validates before building the op, so here an
    /// inconsistency is a bug or a corrupt journal: it throws InvalidOperationException.
    /// </summary>
    private void Apply(NamespaceOp op)
    {
        var now = op.TimestampMs;
        switch (op.OpCase)
        {
            case NamespaceOp.OpOneofCase.Mkdir:
            {
                var m = op.Mkdir;
                var parent = DirectoryById(m.ParentId);
                var directory = new DirectoryInode(m.InodeId, m.Name, now, OwnershipOf(m.Owner, m.Group),
                    m.Permission == 0 ? DefaultDirectoryPermission : m.Permission);
                AddInode(parent, directory, now);
                _directoryCount++;
                break;
            }
            case NamespaceOp.OpOneofCase.CreateFile:
            {
                var c = op.CreateFile;
                var parent = DirectoryById(c.ParentId);
                var file = new FileInode(c.InodeId, c.Name, now, OwnershipOf(c.Owner, c.Group),
                    c.Permission == 0 ? DefaultFilePermission : c.Permission, (short)c.Replication, c.BlockSize)
                {
                    LeaseHolder = Intern(c.ClientName),
                };
                AddInode(parent, file, now);
                Leases.Add(file.LeaseHolder, file.Id, NowMs);
                _fileCount++;
                break;
            }
            case NamespaceOp.OpOneofCase.AddBlock:
            {
                var a = op.AddBlock;
                var file = FileById(a.InodeId);
                if (a.Previous is { BlockId: not 0 } previous)
                {
                    var last = file.LastBlock;
                    if (last is null || last.BlockId != previous.BlockId)
                    {
                        throw new InvalidOperationException($"AddBlockOp: block {previous.BlockId} is not the last block of inode {file.Id}");
                    }
                    FixLength(last, previous.NumBytes);
                }
                var block = new BlockInfo(a.Block.BlockId, a.Block.GenerationStamp, 0, lengthKnown: false, file);
                file.AppendBlock(block);
                Blocks.Add(block);
                if (!file.Reopened)
                {
                    // A reopened file shows its old content, and its old time, until it completes.
                    file.ModificationTimeMs = now;
                }
                _lastBlockId = Math.Max(_lastBlockId, block.BlockId);
                _lastGenerationStamp = Math.Max(_lastGenerationStamp, block.GenerationStamp);
                break;
            }
            case NamespaceOp.OpOneofCase.UpdateBlock:
            {
                var u = op.UpdateBlock;
                var block = Blocks.Get(u.Block.BlockId) ?? throw new InvalidOperationException($"UpdateBlockOp: unknown block {u.Block.BlockId}");
                if (block.GenerationStamp != u.Block.GenerationStamp)
                {
                    // Replicas of the old stamp are stale now: they stop counting.
                    foreach (var node in block.Nodes.ToArray())
                    {
                        Blocks.RemoveReplica(block, node);
                    }
                    block.GenerationStamp = u.Block.GenerationStamp;
                }
                if (u.Block.NumBytes > 0)
                {
                    FixLength(block, u.Block.NumBytes);
                }
                _lastGenerationStamp = Math.Max(_lastGenerationStamp, block.GenerationStamp);
                break;
            }
            case NamespaceOp.OpOneofCase.AbandonBlock:
            {
                var a = op.AbandonBlock;
                var file = FileById(a.InodeId);
                if (file.LastBlock is { } last && last.BlockId == a.BlockId)
                {
                    file.RemoveLastBlock();
                    ForgetBlock(last);
                }
                break;
            }
            case NamespaceOp.OpOneofCase.CompleteFile:
            {
                var c = op.CompleteFile;
                var file = FileById(c.InodeId);
                var first = file.FirstWriteBlock;
                if (c.Blocks.Count != file.Blocks.Length - first)
                {
                    throw new InvalidOperationException($"CompleteFileOp: inode {file.Id} has {file.Blocks.Length - first} blocks being written, the op lists {c.Blocks.Count}");
                }
                for (var i = 0; i < c.Blocks.Count; i++)
                {
                    FixLength(file.Blocks[first + i], c.Blocks[i].NumBytes);
                }
                if (file.Reopened && file.ReplaceFrom < file.ReopenedAt)
                {
                    // A truncate's rewritten block replaces the old tail.
                    foreach (var replaced in file.RemoveBlocks(file.ReplaceFrom, file.ReopenedAt))
                    {
                        ForgetBlock(replaced);
                    }
                }
                if (file.LeaseHolder is { } holder)
                {
                    Leases.Remove(holder, file.Id);
                    if (file.Hidden)
                    {
                        file.Parent!.HiddenChildren--;
                    }
                    file.LeaseHolder = null;
                }
                file.ReopenedAt = file.ReplaceFrom = -1;
                file.ModificationTimeMs = now;
                break;
            }
            case NamespaceOp.OpOneofCase.Delete:
            {
                var inode = InodeById(op.Delete.InodeId);
                if (inode.Id == RootId)
                {
                    throw new InvalidOperationException("DeleteOp: the root cannot be deleted");
                }
                var parent = inode.Parent!;
                parent.Remove(inode);
                parent.ModificationTimeMs = now;
                ForgetSubtree(inode);
                break;
            }
            case NamespaceOp.OpOneofCase.Rename:
            {
                var r = op.Rename;
                var inode = InodeById(r.InodeId);
                var target = DirectoryById(r.NewParentId);
                var oldParent = inode.Parent ?? throw new InvalidOperationException("RenameOp: the root cannot be renamed");
                oldParent.Remove(inode);
                oldParent.ModificationTimeMs = now;
                inode.Name = r.NewName;
                target.Add(inode);
                target.ModificationTimeMs = now;
                break;
            }
            case NamespaceOp.OpOneofCase.SetReplication:
                FileById(op.SetReplication.InodeId).Replication = (short)op.SetReplication.Replication;
                break;
            case NamespaceOp.OpOneofCase.SetPermission:
                InodeById(op.SetPermission.InodeId).Permission = op.SetPermission.Permission;
                break;
            case NamespaceOp.OpOneofCase.SetOwner:
            {
                var inode = InodeById(op.SetOwner.InodeId);
                inode.Ownership = OwnershipOf(op.SetOwner.Owner.Length > 0 ? op.SetOwner.Owner : inode.Owner,
                    op.SetOwner.Group.Length > 0 ? op.SetOwner.Group : inode.Group);
                break;
            }
            case NamespaceOp.OpOneofCase.ReopenFile:
            {
                var r = op.ReopenFile;
                var file = FileById(r.InodeId);
                if (file.UnderConstruction || r.ReplaceFrom < 0 || r.ReplaceFrom > file.Blocks.Length)
                {
                    throw new InvalidOperationException($"ReopenFileOp: inode {file.Id} is under construction or has no block {r.ReplaceFrom}");
                }
                file.ReopenedAt = file.Blocks.Length;
                file.ReplaceFrom = r.ReplaceFrom;
                file.LeaseHolder = Intern(r.ClientName);
                Leases.Add(file.LeaseHolder, file.Id, NowMs);
                break;
            }
            case NamespaceOp.OpOneofCase.RevertReopen:
            {
                var file = FileById(op.RevertReopen.InodeId);
                if (!file.Reopened)
                {
                    throw new InvalidOperationException($"RevertReopenOp: inode {file.Id} is not reopened");
                }
                foreach (var dropped in file.RemoveBlocks(file.ReopenedAt, file.Blocks.Length))
                {
                    ForgetBlock(dropped);
                }
                Leases.Remove(file.LeaseHolder!, file.Id);
                file.LeaseHolder = null;
                file.ReopenedAt = file.ReplaceFrom = -1;
                break;
            }
            case NamespaceOp.OpOneofCase.Truncate:
            {
                var t = op.Truncate;
                var file = FileById(t.InodeId);
                if (file.UnderConstruction || t.BlockCount < 0 || t.BlockCount > file.Blocks.Length)
                {
                    throw new InvalidOperationException($"TruncateOp: inode {file.Id} is under construction or has fewer than {t.BlockCount} blocks");
                }
                foreach (var dropped in file.RemoveBlocks(t.BlockCount, file.Blocks.Length))
                {
                    ForgetBlock(dropped);
                }
                file.ModificationTimeMs = now;
                break;
            }
            case NamespaceOp.OpOneofCase.SetTimes:
            {
                var s = op.SetTimes;
                var inode = InodeById(s.InodeId);
                if (s.MtimeMs >= 0)
                {
                    inode.ModificationTimeMs = s.MtimeMs;
                }
                if (s.AtimeMs >= 0 && inode is FileInode file)
                {
                    file.AccessTimeMs = s.AtimeMs;
                }
                break;
            }
            default:
                throw new InvalidOperationException($"unknown namespace op {op.OpCase}");
        }
    }


    private void AddInode(DirectoryInode parent, Inode inode, long now)
    {
        if (!_inodes.TryAdd(inode.Id, inode))
        {
            throw new InvalidOperationException($"inode id {inode.Id} is already in use");
        }
        parent.Add(inode);
        parent.ModificationTimeMs = now;
        _lastInodeId = Math.Max(_lastInodeId, inode.Id);
    }

    private void FixLength(BlockInfo block, long numBytes)
    {
        foreach (var node in Blocks.FixLength(block, numBytes))
        {
            _logger.LogWarning("Replica of block {Block} on {Node} has another length than the final {Length} bytes: queued for deletion",
                block.BlockId, node, numBytes);
            _dataNodes.QueueDelete(node, new BlockRef { BlockId = block.BlockId, GenerationStamp = block.GenerationStamp, NumBytes = numBytes });
        }
    }

    /// <summary>The block is gone from the namespace: every replica of it becomes garbage on its DataNode.</summary>
    private void ForgetBlock(BlockInfo block)
    {
        var reference = block.ToRef();
        if (!block.LengthKnown)
        {
            _dataNodes.UnscheduleEverywhere(block.BlockId);
        }
        foreach (var node in Blocks.Remove(block))
        {
            _dataNodes.QueueDelete(node, reference);
        }
        _corruptReplicas.RemoveWhere(r => r.BlockId == block.BlockId);
    }

    private void ForgetSubtree(Inode inode)
    {
        var stack = new Stack<Inode>();
        stack.Push(inode);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            _inodes.Remove(node.Id);
            switch (node)
            {
                case DirectoryInode directory:
                    _directoryCount--;
                    for (var i = 0; i < directory.ChildCount; i++)
                    {
                        stack.Push(directory.ChildAt(i));
                    }
                    break;
                case FileInode file:
                    _fileCount--;
                    foreach (var block in file.Blocks)
                    {
                        ForgetBlock(block);
                    }
                    if (file.LeaseHolder is { } holder)
                    {
                        Leases.Remove(holder, file.Id);
                    }
                    break;
            }
        }
    }

    private Inode InodeById(long id) =>
        _inodes.GetValueOrDefault(id) ?? throw new InvalidOperationException($"unknown inode {id}");

    private DirectoryInode DirectoryById(long id) =>
        InodeById(id) as DirectoryInode ?? throw new InvalidOperationException($"inode {id} is not a directory");

    private FileInode FileById(long id) =>
        InodeById(id) as FileInode ?? throw new InvalidOperationException($"inode {id} is not a file");
}
