using Microsoft.Data.Sqlite;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.Metadata.Storage;

/// <summary>
/// Applies journaled ops to the namespace tables inside the append's transaction, exactly as
/// metadata.proto documents each op. Any op that does not fit the tables (unknown inode, name taken,
/// parent not a directory) throws, which rolls back the whole append: the tables and the journal
/// never diverge from what the NameNode holds.
/// </summary>
internal sealed class OpApplier(SqliteCommandCache commands)
{
    private const long DirectoryKind = (long)InodeKind.Directory;
    private const long FileKind = (long)InodeKind.File;

    public long MaxInodeId { get; private set; }
    public long MaxBlockId { get; private set; }
    public long MaxGenerationStamp { get; private set; }

    public void Apply(NamespaceOp op)
    {
        switch (op.OpCase)
        {
            case NamespaceOp.OpOneofCase.Mkdir: Mkdir(op.Mkdir, op.TimestampMs); break;
            case NamespaceOp.OpOneofCase.CreateFile: CreateFile(op.CreateFile, op.TimestampMs); break;
            case NamespaceOp.OpOneofCase.AddBlock: AddBlock(op.AddBlock); break;
            case NamespaceOp.OpOneofCase.UpdateBlock: UpdateBlock(op.UpdateBlock.InodeId, op.UpdateBlock.Block); break;
            case NamespaceOp.OpOneofCase.AbandonBlock: AbandonBlock(op.AbandonBlock); break;
            case NamespaceOp.OpOneofCase.CompleteFile: CompleteFile(op.CompleteFile, op.TimestampMs); break;
            case NamespaceOp.OpOneofCase.Delete: Delete(op.Delete.InodeId); break;
            case NamespaceOp.OpOneofCase.Rename: Rename(op.Rename); break;
            case NamespaceOp.OpOneofCase.SetReplication:
                UpdateInode(op.SetReplication.InodeId, "UPDATE inodes SET replication = $v WHERE id = $id AND kind = 2", op.SetReplication.Replication, "file");
                break;
            case NamespaceOp.OpOneofCase.SetPermission:
                UpdateInode(op.SetPermission.InodeId, "UPDATE inodes SET permission = $v WHERE id = $id", op.SetPermission.Permission, "inode");
                break;
            case NamespaceOp.OpOneofCase.SetOwner: SetOwner(op.SetOwner); break;
            case NamespaceOp.OpOneofCase.ReopenFile: ReopenFile(op.ReopenFile); break;
            case NamespaceOp.OpOneofCase.RevertReopen: RevertReopen(op.RevertReopen.InodeId); break;
            case NamespaceOp.OpOneofCase.Truncate: Truncate(op.Truncate); break;
            case NamespaceOp.OpOneofCase.SetTimes: SetTimes(op.SetTimes); break;
            default:
                throw Invalid("the op is empty (no mkdir, create_file, ... set)");
        }
    }

    private void Mkdir(MkdirOp op, long timestampMs)
    {
        RequireDirectory(op.ParentId);
        InsertInode(op.InodeId, op.ParentId, op.Name, DirectoryKind, timestampMs, 0, 0, underConstruction: false, "", op.Owner, op.Group, op.Permission);
    }

    private void CreateFile(CreateFileOp op, long timestampMs)
    {
        RequireDirectory(op.ParentId);
        InsertInode(op.InodeId, op.ParentId, op.Name, FileKind, timestampMs, op.Replication, op.BlockSize, underConstruction: true,
            op.ClientName, op.Owner, op.Group, op.Permission);
    }

    private void InsertInode(long id, long parentId, string name, long kind, long mtime, int replication, long blockSize,
        bool underConstruction, string clientName, string owner, string group, uint permission)
    {
        if (id <= NamespaceSchema.RootInodeId)
        {
            throw Invalid($"inode id {id} is reserved (ids above {NamespaceSchema.RootInodeId} only)");
        }
        if (string.IsNullOrEmpty(name) || name.Contains('/'))
        {
            throw Invalid($"inode {id}: invalid name \"{name}\"");
        }
        commands.Execute("""
            INSERT INTO inodes (id, parent_id, name, kind, mtime, replication, block_size, under_construction, client_name, owner, grp, permission, atime)
            VALUES ($id, $parent, $name, $kind, $mtime, $replication, $block_size, $uc, $client, $owner, $grp, $permission, $atime)
            """,
            ("$id", id), ("$parent", parentId), ("$name", name), ("$kind", kind), ("$mtime", mtime), ("$replication", replication),
            ("$block_size", blockSize), ("$uc", underConstruction ? 1 : 0), ("$client", clientName), ("$owner", owner),
            ("$grp", group), ("$permission", permission), ("$atime", kind == FileKind ? mtime : 0));
        MaxInodeId = Math.Max(MaxInodeId, id);
    }

    private void AddBlock(AddBlockOp op)
    {
        RequireFile(op.InodeId);
        if (op.Block is null || op.Block.BlockId == 0)
        {
            throw Invalid($"add_block to inode {op.InodeId}: the block is missing");
        }
        if (op.Previous is not null && op.Previous.BlockId != 0)
        {
            UpdateBlock(op.InodeId, op.Previous);
        }
        commands.Execute("""
            INSERT INTO blocks (block_id, inode_id, idx, generation_stamp, num_bytes)
            VALUES ($block, $inode, (SELECT COUNT(*) FROM blocks WHERE inode_id = $inode), $stamp, $bytes)
            """,
            ("$block", op.Block.BlockId), ("$inode", op.InodeId), ("$stamp", op.Block.GenerationStamp), ("$bytes", op.Block.NumBytes));
        MaxBlockId = Math.Max(MaxBlockId, op.Block.BlockId);
        MaxGenerationStamp = Math.Max(MaxGenerationStamp, op.Block.GenerationStamp);
    }

    private void UpdateBlock(long inodeId, BlockRef? block)
    {
        if (block is null)
        {
            throw Invalid($"update of a block of inode {inodeId}: the block is missing");
        }
        var changed = commands.Execute(
            "UPDATE blocks SET generation_stamp = $stamp, num_bytes = $bytes WHERE block_id = $block AND inode_id = $inode",
            ("$stamp", block.GenerationStamp), ("$bytes", block.NumBytes), ("$block", block.BlockId), ("$inode", inodeId));
        if (changed == 0)
        {
            throw Invalid($"block {block.BlockId} of inode {inodeId} does not exist");
        }
        MaxGenerationStamp = Math.Max(MaxGenerationStamp, block.GenerationStamp);
    }

    private void AbandonBlock(AbandonBlockOp op)
    {
        var changed = commands.Execute("DELETE FROM blocks WHERE block_id = $block AND inode_id = $inode",
            ("$block", op.BlockId), ("$inode", op.InodeId));
        if (changed == 0)
        {
            throw Invalid($"abandon: block {op.BlockId} of inode {op.InodeId} does not exist");
        }
    }

    private void CompleteFile(CompleteFileOp op, long timestampMs)
    {
        var (visible, replaceFrom) = ReopenStateOf(op.InodeId)
            ?? throw Invalid($"complete: file inode {op.InodeId} does not exist");
        if (visible >= 0 && replaceFrom < visible)
        {
            // A truncate's rewrite: the old tail [replace_from, visible) goes, the new blocks move up behind the kept ones.
            commands.Execute("DELETE FROM blocks WHERE inode_id = $inode AND idx >= $from AND idx < $visible",
                ("$inode", op.InodeId), ("$from", replaceFrom), ("$visible", visible));
            commands.Execute("UPDATE blocks SET idx = idx - $shift WHERE inode_id = $inode AND idx >= $visible",
                ("$shift", visible - replaceFrom), ("$inode", op.InodeId), ("$visible", visible));
        }
        commands.Execute(
            "UPDATE inodes SET under_construction = 0, client_name = '', mtime = $mtime, reopened_blocks = -1, replace_from = -1 WHERE id = $id AND kind = 2",
            ("$mtime", timestampMs), ("$id", op.InodeId));
        foreach (var block in op.Blocks)
        {
            UpdateBlock(op.InodeId, block);
        }
    }

    /// <summary>(reopened_blocks, replace_from) of a file, -1 each when it is not reopened; null when there is no such file.</summary>
    private (int Visible, int ReplaceFrom)? ReopenStateOf(long inodeId)
    {
        if (commands.Scalar("SELECT reopened_blocks FROM inodes WHERE id = $id AND kind = 2", ("$id", inodeId)) is not long visible)
        {
            return null;
        }
        var replaceFrom = (long)commands.Scalar("SELECT replace_from FROM inodes WHERE id = $id", ("$id", inodeId))!;
        return ((int)visible, (int)replaceFrom);
    }

    private void ReopenFile(ReopenFileOp op)
    {
        if (string.IsNullOrEmpty(op.ClientName))
        {
            throw Invalid($"reopen of inode {op.InodeId}: the client name is missing");
        }
        var blocks = (long)commands.Scalar("SELECT COUNT(*) FROM blocks WHERE inode_id = $id", ("$id", op.InodeId))!;
        if (op.ReplaceFrom < 0 || op.ReplaceFrom > blocks)
        {
            throw Invalid($"reopen of inode {op.InodeId}: replace_from {op.ReplaceFrom} is outside its {blocks} blocks");
        }
        UpdateInode(op.InodeId,
            "UPDATE inodes SET under_construction = 1, client_name = $v, reopened_blocks = $blocks, replace_from = $from WHERE id = $id AND kind = 2 AND under_construction = 0",
            op.ClientName, "complete file", ("$blocks", blocks), ("$from", op.ReplaceFrom));
    }

    private void RevertReopen(long inodeId)
    {
        var (visible, _) = ReopenStateOf(inodeId) ?? throw Invalid($"revert of a reopen: file inode {inodeId} does not exist");
        if (visible < 0)
        {
            throw Invalid($"revert of a reopen: file inode {inodeId} is not reopened");
        }
        commands.Execute("DELETE FROM blocks WHERE inode_id = $inode AND idx >= $visible", ("$inode", inodeId), ("$visible", visible));
        UpdateInode(inodeId, "UPDATE inodes SET under_construction = 0, client_name = '', reopened_blocks = -1, replace_from = $v WHERE id = $id",
            -1, "file inode");
    }

    private void Truncate(TruncateOp op)
    {
        RequireFile(op.InodeId);
        commands.Execute("DELETE FROM blocks WHERE inode_id = $inode AND idx >= $count", ("$inode", op.InodeId), ("$count", op.BlockCount));
    }

    private void SetTimes(SetTimesOp op) =>
        UpdateInode(op.InodeId,
            "UPDATE inodes SET mtime = CASE WHEN $v < 0 THEN mtime ELSE $v END, atime = CASE WHEN $atime < 0 THEN atime ELSE $atime END WHERE id = $id",
            op.MtimeMs, "inode", ("$atime", op.AtimeMs));

    private void Delete(long inodeId)
    {
        if (inodeId == NamespaceSchema.RootInodeId)
        {
            throw Invalid("the root directory cannot be deleted");
        }
        const string Subtree = """
            WITH RECURSIVE subtree(id) AS (
                SELECT $id
                UNION ALL
                SELECT inodes.id FROM inodes JOIN subtree ON inodes.parent_id = subtree.id
            )
            """;
        commands.Execute(Subtree + " DELETE FROM blocks WHERE inode_id IN (SELECT id FROM subtree)", ("$id", inodeId));
        var deleted = commands.Execute(Subtree + " DELETE FROM inodes WHERE id IN (SELECT id FROM subtree)", ("$id", inodeId));
        if (deleted == 0)
        {
            throw Invalid($"delete: inode {inodeId} does not exist");
        }
    }

    private void Rename(RenameOp op)
    {
        if (op.InodeId == NamespaceSchema.RootInodeId)
        {
            throw Invalid("the root directory cannot be renamed");
        }
        if (string.IsNullOrEmpty(op.NewName) || op.NewName.Contains('/'))
        {
            throw Invalid($"rename of inode {op.InodeId}: invalid name \"{op.NewName}\"");
        }
        RequireDirectory(op.NewParentId);
        var intoItself = commands.Scalar("""
            WITH RECURSIVE ancestors(id) AS (
                SELECT $parent
                UNION ALL
                SELECT inodes.parent_id FROM inodes JOIN ancestors ON inodes.id = ancestors.id WHERE inodes.parent_id <> 0
            )
            SELECT COUNT(*) FROM ancestors WHERE id = $id
            """, ("$parent", op.NewParentId), ("$id", op.InodeId));
        if (intoItself is long count && count > 0)
        {
            throw new DfsException(ErrorKind.MoveIntoSelf, $"rename of inode {op.InodeId} into its own subtree (under {op.NewParentId})");
        }
        UpdateInode(op.InodeId, "UPDATE inodes SET parent_id = $parent, name = $v WHERE id = $id", op.NewName, "inode", ("$parent", op.NewParentId));
    }

    private void SetOwner(SetOwnerOp op) =>
        UpdateInode(op.InodeId,
            "UPDATE inodes SET owner = COALESCE(NULLIF($v, ''), owner), grp = COALESCE(NULLIF($group, ''), grp) WHERE id = $id",
            op.Owner, "inode", ("$group", op.Group));

    private void UpdateInode(long id, string sql, object value, string what, params (string Name, object Value)[] extra)
    {
        var changed = commands.Execute(sql, [("$id", id), ("$v", value), .. extra]);
        if (changed == 0)
        {
            throw Invalid($"{what} {id} does not exist");
        }
    }

    private void RequireDirectory(long id)
    {
        var kind = commands.Scalar("SELECT kind FROM inodes WHERE id = $id", ("$id", id));
        if (kind is not long k)
        {
            throw Invalid($"parent directory inode {id} does not exist");
        }
        if (k != DirectoryKind)
        {
            throw new DfsException(ErrorKind.NotADirectory, $"parent inode {id} is a file, not a directory");
        }
    }

    private void RequireFile(long id)
    {
        var kind = commands.Scalar("SELECT kind FROM inodes WHERE id = $id", ("$id", id));
        if (kind is not long k || k != FileKind)
        {
            throw Invalid($"file inode {id} does not exist");
        }
    }

    private static DfsException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
