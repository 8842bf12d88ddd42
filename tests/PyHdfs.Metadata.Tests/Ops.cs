using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.Metadata.Tests;

/// <summary>Builders for journal ops, named after what the NameNode would journal.</summary>
internal static class Ops
{
    public const long Root = 1;
    public const long FirstBlock = 1L << 30;

    public static NamespaceOp Mkdir(long id, long parent, string name, long timestampMs = 1_000) => new()
    {
        TimestampMs = timestampMs,
        Mkdir = new MkdirOp { InodeId = id, ParentId = parent, Name = name, Owner = "alice", Group = "staff", Permission = 0x1ED },
    };

    public static NamespaceOp CreateFile(long id, long parent, string name, string client = "client-1") => new()
    {
        TimestampMs = 2_000,
        CreateFile = new CreateFileOp
        {
            InodeId = id, ParentId = parent, Name = name, Replication = 2, BlockSize = 1024, ClientName = client,
            Owner = "alice", Group = "staff", Permission = 0x1A4,
        },
    };

    public static BlockRef Block(long id, long stamp, long bytes = 0) => new() { BlockId = id, GenerationStamp = stamp, NumBytes = bytes };

    public static NamespaceOp AddBlock(long inode, BlockRef block, BlockRef? previous = null)
    {
        var op = new AddBlockOp { InodeId = inode, Block = block };
        if (previous is not null)
        {
            op.Previous = previous;
        }
        return new NamespaceOp { TimestampMs = 3_000, AddBlock = op };
    }

    public static NamespaceOp UpdateBlock(long inode, BlockRef block) =>
        new() { UpdateBlock = new UpdateBlockOp { InodeId = inode, Block = block } };

    public static NamespaceOp AbandonBlock(long inode, long blockId) =>
        new() { AbandonBlock = new AbandonBlockOp { InodeId = inode, BlockId = blockId } };

    public static NamespaceOp Complete(long inode, long timestampMs, params BlockRef[] blocks) =>
        new() { TimestampMs = timestampMs, CompleteFile = new CompleteFileOp { InodeId = inode, Blocks = { blocks } } };

    public static NamespaceOp Delete(long inode) => new() { Delete = new DeleteOp { InodeId = inode } };

    public static NamespaceOp Rename(long inode, long newParent, string newName) =>
        new() { Rename = new RenameOp { InodeId = inode, NewParentId = newParent, NewName = newName } };

    public static NamespaceOp SetReplication(long inode, int replication) =>
        new() { SetReplication = new SetReplicationOp { InodeId = inode, Replication = replication } };

    public static NamespaceOp SetPermission(long inode, uint permission) =>
        new() { SetPermission = new SetPermissionOp { InodeId = inode, Permission = permission } };

    public static NamespaceOp SetOwner(long inode, string owner, string group) =>
        new() { SetOwner = new SetOwnerOp { InodeId = inode, Owner = owner, Group = group } };

    /// <summary>Journal entries with contiguous txids from <paramref name="firstTxid"/>.</summary>
    public static JournalEntry[] Entries(long firstTxid, params NamespaceOp[] ops) =>
        ops.Select((op, i) => new JournalEntry { Txid = firstTxid + i, Op = op }).ToArray();
}
