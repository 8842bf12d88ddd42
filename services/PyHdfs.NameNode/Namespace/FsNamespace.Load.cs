using System.Text;
using PyHdfs.NameNode.Blocks;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Namespace;

/// <summary>Loading the image from the metadata service, and a canonical dump for comparisons.</summary>
internal sealed partial class FsNamespace
{
    /// <summary>
    /// Replaces the namespace with an image. Inodes arrive in no particular order: they are all
    /// created first, then linked to their parents, then each directory is sorted once.
    /// </summary>
    public void LoadImage(ImageHeader header, IReadOnlyCollection<InodeRecord> inodes, IReadOnlyCollection<BlockRecord> blocks)
    {
        lock (SyncRoot)
        {
            _inodes.Clear();
            Blocks.Clear();
            Leases.Clear();
            _corruptReplicas.Clear();
            _retryCache.Clear();
            _fileCount = 0;
            _directoryCount = 0;
            var nowMs = NowMs;

            var rootRecord = inodes.FirstOrDefault(r => r.Id == RootId);
            Root = NewRoot(rootRecord?.ModificationTimeMs ?? 0);
            if (rootRecord is { Owner.Length: > 0 })
            {
                Root.Ownership = OwnershipOf(rootRecord.Owner, rootRecord.Group);
            }
            if (rootRecord is not null)
            {
                Root.Permission = rootRecord.Permission == 0 ? DefaultDirectoryPermission : rootRecord.Permission;
            }
            _inodes[RootId] = Root;
            _directoryCount = 1;

            // The live path always journals a mode, so a stored 0 is a real "chmod 000" (only a seeded root may lack one).
            foreach (var record in inodes.Where(r => r.Id != RootId))
            {
                Inode inode = record.Kind == InodeKind.Directory
                    ? new DirectoryInode(record.Id, record.Name, record.ModificationTimeMs, OwnershipOf(record.Owner, record.Group), record.Permission)
                    : new FileInode(record.Id, record.Name, record.ModificationTimeMs, OwnershipOf(record.Owner, record.Group),
                        record.Permission, (short)record.Replication, record.BlockSize)
                    {
                        LeaseHolder = record.UnderConstruction ? Intern(record.ClientName) : null,
                        AccessTimeMs = record.AccessTimeMs,
                        ReopenedAt = record.UnderConstruction && record.Reopened is { } r ? r.VisibleBlocks : -1,
                        ReplaceFrom = record.UnderConstruction && record.Reopened is { } s ? s.ReplaceFrom : -1,
                    };
                if (!_inodes.TryAdd(inode.Id, inode))
                {
                    throw new InvalidOperationException($"the image has inode {inode.Id} twice");
                }
            }

            foreach (var record in inodes.Where(r => r.Id != RootId))
            {
                var inode = _inodes[record.Id];
                if (_inodes.GetValueOrDefault(record.ParentId) is not DirectoryInode parent)
                {
                    throw new InvalidOperationException($"the image's inode {record.Id} ('{record.Name}') has no directory {record.ParentId} as parent");
                }
                parent.AddUnsorted(inode);
                if (inode is FileInode file)
                {
                    _fileCount++;
                    if (file.LeaseHolder is { } holder)
                    {
                        // Writers get a full lease period after a restart to come back.
                        Leases.Add(holder, file.Id, nowMs);
                    }
                }
                else
                {
                    _directoryCount++;
                }
            }
            foreach (var directory in _inodes.Values.OfType<DirectoryInode>())
            {
                directory.SortChildren();
            }

            foreach (var group in blocks.GroupBy(b => b.InodeId))
            {
                if (_inodes.GetValueOrDefault(group.Key) is not FileInode file)
                {
                    throw new InvalidOperationException($"the image has blocks for inode {group.Key}, which is not a file");
                }
                if (file.ReopenedAt > group.Count())
                {
                    throw new InvalidOperationException($"the image's reopened file {file.Id} has {group.Count()} blocks, fewer than the {file.ReopenedAt} visible ones");
                }
                var ordered = group.OrderBy(b => b.Index).ToList();
                for (var i = 0; i < ordered.Count; i++)
                {
                    var reference = ordered[i].Block;
                    // The last block of a file being written has no final length yet.
                    var lengthKnown = !file.UnderConstruction || i < ordered.Count - 1 || i < file.ReopenedAt;
                    var block = new BlockInfo(reference.BlockId, reference.GenerationStamp, reference.NumBytes, lengthKnown, file);
                    file.AppendBlock(block);
                    Blocks.Add(block);
                    _lastBlockId = Math.Max(_lastBlockId, block.BlockId);
                    _lastGenerationStamp = Math.Max(_lastGenerationStamp, block.GenerationStamp);
                }
            }

            _lastInodeId = Math.Max(Math.Max(RootId, header.LastInodeId), _inodes.Keys.Max());
            _lastBlockId = Math.Max(Math.Max(FirstBlockId - 1, header.LastBlockId), _lastBlockId);
            _lastGenerationStamp = Math.Max(Math.Max(FirstGenerationStamp - 1, header.LastGenerationStamp), _lastGenerationStamp);
        }
    }

    /// <summary>Every inode with its attributes and blocks, one per line in path order: equal trees dump equally.</summary>
    public string DumpTree()
    {
        lock (SyncRoot)
        {
            var text = new StringBuilder();
            text.Append($"counters inode={_lastInodeId} block={_lastBlockId} gs={_lastGenerationStamp} files={_fileCount} dirs={_directoryCount} blocks={Blocks.Count}\n");
            Dump(Root, "/", text);
            return text.ToString();
        }
    }

    private static void Dump(Inode node, string path, StringBuilder text)
    {
        text.Append($"{path} id={node.Id} mtime={node.ModificationTimeMs} {node.Owner}:{node.Group} {Convert.ToString(node.Permission, 8)}");
        switch (node)
        {
            case DirectoryInode directory:
                text.Append($" dir hidden={directory.HiddenChildren}\n");
                for (var i = 0; i < directory.ChildCount; i++)
                {
                    var child = directory.ChildAt(i);
                    Dump(child, Protocol.Paths.DfsPath.Combine(path, child.Name), text);
                }
                break;
            case FileInode file:
                text.Append($" file r={file.Replication} bs={file.PreferredBlockSize} atime={file.AccessTimeMs} uc={file.LeaseHolder ?? "-"}");
                text.Append(file.Reopened ? $" reopened={file.ReopenedAt}/{file.ReplaceFrom} blocks=[" : " blocks=[");
                text.AppendJoin(',', file.Blocks.Select(b => $"{b.BlockId}:{b.GenerationStamp}:{(b.LengthKnown ? b.NumBytes : -1)}"));
                text.Append("]\n");
                break;
        }
    }
}
