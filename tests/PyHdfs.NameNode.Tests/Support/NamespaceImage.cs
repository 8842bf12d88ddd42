using PyHdfs.NameNode.Namespace;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>What the metadata service's tables would hold for a namespace (the records LoadNamespace streams).</summary>
internal static class NamespaceImage
{
    public static (List<InodeRecord> Inodes, List<BlockRecord> Blocks) Of(FsNamespace fs)
    {
        var inodes = new List<InodeRecord>();
        var blocks = new List<BlockRecord>();
        var stack = new Stack<Inode>();
        stack.Push(fs.Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            var record = new InodeRecord
            {
                Id = node.Id,
                ParentId = node.Parent?.Id ?? 0,
                Name = node.Name,
                ModificationTimeMs = node.ModificationTimeMs,
                Owner = node.Owner,
                Group = node.Group,
                Permission = node.Permission,
                Kind = node.IsDirectory ? InodeKind.Directory : InodeKind.File,
            };
            inodes.Add(record);
            if (node is DirectoryInode directory)
            {
                for (var i = 0; i < directory.ChildCount; i++)
                {
                    stack.Push(directory.ChildAt(i));
                }
            }
            else if (node is FileInode file)
            {
                record.Replication = file.Replication;
                record.BlockSize = file.PreferredBlockSize;
                record.UnderConstruction = file.UnderConstruction;
                record.ClientName = file.LeaseHolder ?? "";
                record.AccessTimeMs = file.AccessTimeMs;
                if (file.Reopened)
                {
                    record.Reopened = new ReopenState { VisibleBlocks = file.ReopenedAt, ReplaceFrom = file.ReplaceFrom };
                }
                for (var i = 0; i < file.Blocks.Length; i++)
                {
                    blocks.Add(new BlockRecord { InodeId = file.Id, Index = i, Block = file.Blocks[i].ToRef() });
                }
            }
        }
        return (inodes, blocks);
    }

    /// <summary>A new namespace loaded from <paramref name="fs"/>'s image, as a restarted NameNode loads it.</summary>
    public static NamespaceHarness Reload(NamespaceHarness live)
    {
        var (inodes, blocks) = Of(live.Fs);
        var loaded = new NamespaceHarness(configure: o =>
        {
            o.SuperUser = live.Options.SuperUser;
            o.UserGroups = live.Options.UserGroups;
        });
        loaded.Fs.LoadImage(new ImageHeader
        {
            LastTxid = live.Log.LastTxid,
            LastInodeId = live.Fs.LastInodeId,
            LastBlockId = live.Fs.LastBlockId,
            LastGenerationStamp = live.Fs.LastGenerationStamp,
        }, inodes, blocks);
        return loaded;
    }

    /// <summary>A new namespace that replayed <paramref name="live"/>'s journal, as a standby does.</summary>
    public static NamespaceHarness Replay(NamespaceHarness live)
    {
        var standby = new NamespaceHarness(configure: o =>
        {
            o.SuperUser = live.Options.SuperUser;
            o.UserGroups = live.Options.UserGroups;
        });
        foreach (var entry in live.Log.Entries)
        {
            standby.Fs.ApplyJournaled(entry.Op);
        }
        return standby;
    }
}
