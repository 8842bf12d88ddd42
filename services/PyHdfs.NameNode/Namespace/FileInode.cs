using PyHdfs.NameNode.Blocks;

namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// A file: its blocks in order and, while it is being written, the lease holder. A complete file
/// reopened for an append or a truncate stays visible with its first <see cref="ReopenedAt"/>
/// blocks; the blocks after them are the new tail being written (the "write blocks"), which
/// replaces the visible blocks from <see cref="ReplaceFrom"/> on when the file completes.
/// </summary>
internal sealed class FileInode(long id, string name, long modificationTimeMs, Ownership ownership, uint permission,
    short replication, long preferredBlockSize)
    : Inode(id, name, modificationTimeMs, ownership, permission)
{
    private static readonly BlockInfo[] NoBlocks = [];

    public short Replication = replication;
    public long PreferredBlockSize = preferredBlockSize;
    public BlockInfo[] Blocks = NoBlocks;
    public long AccessTimeMs = modificationTimeMs;

    /// <summary>Non-null while the file is under construction: the client that holds its lease.</summary>
    public string? LeaseHolder;

    /// <summary>While reopened (append, truncate inside a block): the number of visible blocks; -1 otherwise.</summary>
    public int ReopenedAt = -1;

    /// <summary>While reopened: the first visible block the new tail replaces at completion (= <see cref="ReopenedAt"/> for an append).</summary>
    public int ReplaceFrom = -1;

    public override bool IsDirectory => false;

    public bool UnderConstruction => LeaseHolder is not null;

    public bool Reopened => ReopenedAt >= 0;

    /// <summary>Created and not complete yet: invisible to readers. A reopened file stays visible.</summary>
    public bool Hidden => LeaseHolder is not null && ReopenedAt < 0;

    /// <summary>The index of the first block of the write path (the file's blocks being written).</summary>
    public int FirstWriteBlock => ReopenedAt < 0 ? 0 : ReopenedAt;

    /// <summary>The blocks readers see: all of a complete file, the old ones of a reopened file.</summary>
    public ReadOnlySpan<BlockInfo> VisibleBlocks => ReopenedAt < 0 ? Blocks : Blocks.AsSpan(0, ReopenedAt);

    /// <summary>The blocks of the write path: all of a created file, the new tail of a reopened one.</summary>
    public ReadOnlySpan<BlockInfo> WriteBlocks => Blocks.AsSpan(FirstWriteBlock);

    /// <summary>The last block of the write path (null when the writer has added none yet).</summary>
    public BlockInfo? LastBlock => Blocks.Length > FirstWriteBlock ? Blocks[^1] : null;

    /// <summary>Whether the block belongs to the write path of a file under construction (the writer's business, not replication's).</summary>
    public bool IsBeingWritten(BlockInfo block) => UnderConstruction && Array.IndexOf(Blocks, block, FirstWriteBlock) >= 0;

    /// <summary>The visible length (a reopened file: its old content until it completes).</summary>
    public long Length
    {
        get
        {
            long total = 0;
            foreach (var block in VisibleBlocks)
            {
                total += block.NumBytes;
            }
            return total;
        }
    }

    public void AppendBlock(BlockInfo block)
    {
        var blocks = new BlockInfo[Blocks.Length + 1];
        Blocks.CopyTo(blocks, 0);
        blocks[^1] = block;
        Blocks = blocks;
    }

    public void RemoveLastBlock() => Blocks = Blocks.Length <= 1 ? NoBlocks : Blocks[..^1];

    /// <summary>Removes the blocks [from, to) and returns them.</summary>
    public BlockInfo[] RemoveBlocks(int from, int to)
    {
        var removed = Blocks[from..to];
        Blocks = from == 0 && to == Blocks.Length ? NoBlocks : [.. Blocks[..from], .. Blocks[to..]];
        return removed;
    }
}
