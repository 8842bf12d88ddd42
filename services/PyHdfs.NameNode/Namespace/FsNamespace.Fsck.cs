using PyHdfs.NameNode.Blocks;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.NameNode.Namespace;

/// <summary>fsck and the block-health counts of df: good replicas on live DataNodes against each file's factor.</summary>
internal sealed partial class FsNamespace
{
    /// <summary>
    /// Every visible file under the path; the unhealthy blocks are listed per file. Like du, it
    /// needs READ and EXECUTE on every directory it walks.
    /// </summary>
    public FsckResponse Fsck(string rawPath, Caller? caller = null)
    {
        var path = DfsPath.Normalize(rawPath);
        var response = new FsckResponse();
        lock (SyncRoot)
        {
            CheckPermission(caller, path, subtree: FsAccess.ReadExecute);
            var stack = new Stack<(Inode Node, string Path)>();
            stack.Push((ResolveVisible(path), path));
            while (stack.Count > 0)
            {
                var (node, nodePath) = stack.Pop();
                switch (node)
                {
                    case DirectoryInode directory:
                        response.TotalDirectories++;
                        for (var i = directory.ChildCount - 1; i >= 0; i--)
                        {
                            var child = directory.ChildAt(i);
                            if (!IsHidden(child))
                            {
                                stack.Push((child, DfsPath.Combine(nodePath, child.Name)));
                            }
                        }
                        break;
                    case FileInode file:
                        response.TotalFiles++;
                        CheckFile(file, nodePath, response);
                        break;
                }
            }
        }
        response.Healthy = response.CorruptBlocks == 0 && response.MissingBlocks == 0;
        return response;
    }

    private void CheckFile(FileInode file, string path, FsckResponse response)
    {
        FsckFile? report = null;
        foreach (var block in file.VisibleBlocks)
        {
            response.TotalBlocks++;
            var state = StateOf(block);
            var health = state.Health;
            switch (health)
            {
                case BlockHealth.Healthy:
                    continue;
                case BlockHealth.UnderReplicated:
                    response.UnderReplicatedBlocks++;
                    break;
                case BlockHealth.OverReplicated:
                    response.OverReplicatedBlocks++;
                    break;
                case BlockHealth.Corrupt:
                    response.CorruptBlocks++;
                    break;
                case BlockHealth.Missing:
                    response.MissingBlocks++;
                    break;
            }
            report ??= new FsckFile { Path = path, Length = file.Length, Replication = file.Replication };
            var entry = new FsckBlock
            {
                Block = block.ToRef(),
                Health = health,
                ExpectedReplicas = state.Expected,
                LiveReplicas = state.GoodLive,
                CorruptReplicas = state.CorruptLive,
            };
            entry.DatanodeIds.AddRange(block.Nodes);
            report.Blocks.Add(entry);
        }
        if (report is not null)
        {
            response.Files.Add(report);
        }
    }

    /// <summary>df's under-replicated and missing counts (a block whose every live replica is corrupt counts as missing).</summary>
    public void CountBlockHealth(FsStats stats)
    {
        var counts = CountBlocksByHealth();
        stats.UnderReplicatedBlocks = counts.UnderReplicated;
        stats.MissingBlocks = counts.Missing + counts.Corrupt;
    }

    /// <summary>The complete blocks by fsck's verdict (<see cref="Replication.ReplicaState.Health"/>); files being written are not judged.</summary>
    public BlockHealthCounts CountBlocksByHealth()
    {
        long underReplicated = 0, overReplicated = 0, corrupt = 0, missing = 0;
        lock (SyncRoot)
        {
            foreach (BlockInfo block in Blocks.All)
            {
                if (block.File.IsBeingWritten(block))
                {
                    continue;
                }
                switch (StateOf(block).Health)
                {
                    case BlockHealth.UnderReplicated:
                        underReplicated++;
                        break;
                    case BlockHealth.OverReplicated:
                        overReplicated++;
                        break;
                    case BlockHealth.Corrupt:
                        corrupt++;
                        break;
                    case BlockHealth.Missing:
                        missing++;
                        break;
                }
            }
        }
        return new BlockHealthCounts(underReplicated, overReplicated, corrupt, missing);
    }
}

/// <summary>Complete blocks that are not healthy, by kind: corrupt = every live replica reported corrupt; missing = no live replica.</summary>
internal readonly record struct BlockHealthCounts(long UnderReplicated, long OverReplicated, long Corrupt, long Missing);
