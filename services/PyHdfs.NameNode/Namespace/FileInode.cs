using PyHdfs.NameNode.Blocks;

namespace PyHdfs.NameNode.Namespace;

/// <summary>A file: its blocks in order and, while it is being written, the lease holder.</summary>
internal sealed class FileInode(long id, string name, long modificationTimeMs, Ownership ownership, uint permission,
    short replication, long preferredBlockSize)
    : Inode(id, name, modificationTimeMs, ownership, permission)
{
    private static readonly BlockInfo[] NoBlocks = [];

    public short Replication = replication;
    public long PreferredBlockSize = preferredBlockSize;
    public BlockInfo[] Blocks = NoBlocks;

    /// <summary>Non-null while the file is under construction: the client that holds its lease.</summary>
    public string? LeaseHolder;

    public override bool IsDirectory => false;

    public bool UnderConstruction => LeaseHolder is not null;

    public BlockInfo? LastBlock => Blocks.Length == 0 ? null : Blocks[^1];

    public long Length
    {
        get
        {
            long total = 0;
            foreach (var block in Blocks)
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
}
