using PyHdfs.NameNode.Blocks;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace;

/// <summary>Reads: they see only complete files (files under construction are invisible).</summary>
internal sealed partial class FsNamespace
{
    /// <summary>stat needs only to traverse the path.</summary>
    public FileStatus GetFileInfo(string rawPath, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        lock (SyncRoot)
        {
            CheckPermission(caller, path);
            return StatusOf(ResolveVisible(path), path);
        }
    }

    /// <summary>Listing a directory needs READ and EXECUTE on it; "listing" a file, only traversal.</summary>
    public GetListingResponse GetListing(string rawPath, string? startAfter, int limit, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        if (limit < 0)
        {
            throw FsErrors.Invalid(path, $"listing limit {limit} is negative");
        }
        limit = limit == 0 ? _options.ListingPageSize : Math.Min(limit, _options.MaxListingPageSize);
        lock (SyncRoot)
        {
            if (IsChecked(caller))
            {
                var inodes = InodePath.Resolve(Root, path);
                PermissionChecker.Check(caller, inodes, access: inodes.Last is DirectoryInode ? FsAccess.ReadExecute : FsAccess.None);
            }
            var node = ResolveVisible(path);
            var response = new GetListingResponse { Self = StatusOf(node, path) };
            if (node is not DirectoryInode directory)
            {
                response.Entries.Add(response.Self);
                return response;
            }
            var index = string.IsNullOrEmpty(startAfter) ? 0 : directory.IndexAfter(startAfter);
            for (; index < directory.ChildCount; index++)
            {
                var child = directory.ChildAt(index);
                if (IsHidden(child))
                {
                    continue;
                }
                if (response.Entries.Count == limit)
                {
                    response.HasMore = true;
                    break;
                }
                response.Entries.Add(StatusOf(child, DfsPath.Combine(path, child.Name)));
            }
            return response;
        }
    }

    /// <summary>Reading a file (cat, get) needs READ on it.</summary>
    public GetBlockLocationsResponse GetBlockLocations(string rawPath, long offset, long length, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        if (offset < 0 || length < 0)
        {
            throw FsErrors.Invalid(path, $"offset {offset} and length {length} must not be negative");
        }
        lock (SyncRoot)
        {
            CheckPermission(caller, path, access: FsAccess.Read);
            if (ResolveVisible(path) is not FileInode file)
            {
                throw FsErrors.IsADirectory(path);
            }
            var response = new GetBlockLocationsResponse { Status = StatusOf(file, path) };
            var end = length == 0 ? long.MaxValue : offset + length;
            long blockOffset = 0;
            foreach (var block in file.VisibleBlocks)
            {
                var blockEnd = blockOffset + block.NumBytes;
                if (blockEnd > offset && blockOffset < end)
                {
                    response.Blocks.Add(LocateForRead(block, blockOffset));
                }
                blockOffset = blockEnd;
            }
            return response;
        }
    }

    private LocatedBlock LocateForRead(BlockInfo block, long offset)
    {
        var good = block.Nodes.Where(n => !_corruptReplicas.Contains((block.BlockId, n))).ToList();
        var corrupt = good.Count == 0 && block.ReplicaCount > 0;
        var located = new LocatedBlock { Block = block.ToRef(), Offset = offset, Corrupt = corrupt };
        var addresses = _dataNodes.LiveAddresses(corrupt ? block.Nodes : good);
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(addresses));
        located.Locations.AddRange(addresses);
        return located;
    }

    /// <summary>du needs READ and EXECUTE on every directory it counts.</summary>
    public ContentSummary GetContentSummary(string rawPath, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        lock (SyncRoot)
        {
            CheckPermission(caller, path, subtree: FsAccess.ReadExecute);
            var summary = new ContentSummary();
            var stack = new Stack<Inode>();
            stack.Push(ResolveVisible(path));
            while (stack.Count > 0)
            {
                switch (stack.Pop())
                {
                    case DirectoryInode directory:
                        summary.DirectoryCount++;
                        for (var i = 0; i < directory.ChildCount; i++)
                        {
                            if (!IsHidden(directory.ChildAt(i)))
                            {
                                stack.Push(directory.ChildAt(i));
                            }
                        }
                        break;
                    case FileInode file:
                        var fileLength = file.Length;
                        summary.FileCount++;
                        summary.Length += fileLength;
                        summary.SpaceConsumed += fileLength * file.Replication;
                        break;
                }
            }
            return summary;
        }
    }

    /// <summary>df: capacity from live DataNodes, counts from the namespace and block map.</summary>
    public FsStats GetFsStats()
    {
        var stats = new FsStats();
        foreach (var (info, live) in _dataNodes.Snapshot())
        {
            if (live)
            {
                stats.LiveDatanodes++;
                stats.CapacityBytes += info.CapacityBytes;
                stats.UsedBytes += info.UsedBytes;
                stats.RemainingBytes += info.RemainingBytes;
            }
            else
            {
                stats.DeadDatanodes++;
            }
        }
        lock (SyncRoot)
        {
            stats.TotalFiles = _fileCount;
            stats.TotalDirectories = _directoryCount;
            stats.TotalBlocks = Blocks.Count;
            foreach (var block in Blocks.All)
            {
                if (block.File.IsBeingWritten(block))
                {
                    continue;
                }
                var live = _dataNodes.CountLive(block.Nodes);
                if (live == 0)
                {
                    stats.MissingBlocks++;
                }
                else if (live < block.File.Replication)
                {
                    stats.UnderReplicatedBlocks++;
                }
            }
        }
        return stats;
    }

    /// <summary>The status of an inode at a known path.</summary>
    private FileStatus StatusOf(Inode node, string path)
    {
        var status = new FileStatus
        {
            Path = path,
            Name = node.Name,
            ModificationTimeMs = node.ModificationTimeMs,
            Owner = node.Owner,
            Group = node.Group,
            Permission = node.Permission,
            FileId = node.Id,
        };
        switch (node)
        {
            case DirectoryInode directory:
                status.Type = FileType.Directory;
                status.ChildrenCount = directory.VisibleChildCount;
                break;
            case FileInode file:
                status.Type = FileType.File;
                status.Length = file.Length;
                status.Replication = file.Replication;
                status.BlockSize = file.PreferredBlockSize;
                status.AccessTimeMs = file.AccessTimeMs;
                var visible = file.VisibleBlocks;
                status.BlockCount = visible.Length;
                status.MinLiveReplicas = visible.Length == 0 ? 0 : int.MaxValue;
                foreach (var block in visible)
                {
                    status.MinLiveReplicas = Math.Min(status.MinLiveReplicas, _dataNodes.CountLive(block.Nodes));
                }
                break;
        }
        return status;
    }

    public (long Files, long Directories, long Blocks) Counts()
    {
        lock (SyncRoot)
        {
            return (_fileCount, _directoryCount, Blocks.Count);
        }
    }
}
