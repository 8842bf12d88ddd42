using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.NameNode.Namespace.Permissions;

/// <summary>
/// HDFS's permission rules (FSPermissionChecker). A check always requires EXECUTE (traverse) on
/// every existing directory before the last component, then, each only when asked for and only
/// on inodes that exist: <c>ancestor</c> on the deepest existing ancestor (create, mkdir -p),
/// <c>parent</c> on the parent (delete, rename source; with WRITE it also applies the sticky
/// bit), <c>access</c> on the inode itself, <c>subtree</c> on every directory below and
/// including it (recursive delete, du), and ownership. The class of the caller is exclusive, as
/// in POSIX: the owner gets the owner bits even when the group or other bits would allow more.
/// The superuser passes every check.
/// </summary>
internal static class PermissionChecker
{
    public static void Check(Caller caller, InodePath path, FsAccess ancestor = FsAccess.None, FsAccess parent = FsAccess.None,
        FsAccess access = FsAccess.None, FsAccess subtree = FsAccess.None, bool ignoreEmptyDirectories = false, bool owner = false)
    {
        if (caller.IsSuperUser)
        {
            return;
        }
        var nodes = path.Nodes;
        var last = path.LastIndex;
        for (var i = 0; i < last && nodes[i] is DirectoryInode directory; i++)
        {
            Require(caller, path, directory, path.PathAt(i), FsAccess.Execute);
        }
        if (owner && nodes[last] is { } target && !string.Equals(target.Owner, caller.User, StringComparison.Ordinal))
        {
            throw FsErrors.NotOwner(path.Path, caller.User, path.PathAt(last), target);
        }
        if (ancestor != FsAccess.None && last > 0)
        {
            var index = last - 1;
            while (nodes[index] is null)
            {
                index--;
            }
            if (nodes[index] is DirectoryInode deepest)
            {
                Require(caller, path, deepest, path.PathAt(index), ancestor);
            }
        }
        if (parent != FsAccess.None && last > 0 && nodes[last - 1] is DirectoryInode parentDirectory)
        {
            Require(caller, path, parentDirectory, path.PathAt(last - 1), parent);
            if ((parent & FsAccess.Write) != 0 && nodes[last] is { } child)
            {
                CheckStickyBit(caller, path, parentDirectory, child);
            }
        }
        if (access != FsAccess.None && nodes[last] is { } self)
        {
            Require(caller, path, self, path.PathAt(last), access);
        }
        if (subtree != FsAccess.None && nodes[last] is DirectoryInode top)
        {
            CheckSubtree(caller, path, top, path.PathAt(last), subtree, ignoreEmptyDirectories);
        }
    }

    /// <summary>The rights the caller has on the inode: the bits of its one class (owner, group or other).</summary>
    public static FsAccess RightsOf(Caller caller, Inode inode)
    {
        var shift = string.Equals(caller.User, inode.Owner, StringComparison.Ordinal) ? 6
            : caller.IsMemberOf(inode.Group) ? 3
            : 0;
        return (FsAccess)((inode.Permission >> shift) & 7);
    }

    private static void Require(Caller caller, InodePath request, Inode inode, string inodePath, FsAccess access)
    {
        if ((RightsOf(caller, inode) & access) != access)
        {
            throw FsErrors.PermissionDenied(request.Path, caller.User, access, inodePath, inode);
        }
    }

    /// <summary>In a sticky directory (mode 1xxx, e.g. /tmp) only the entry's owner or the directory's owner may delete or rename the entry.</summary>
    private static void CheckStickyBit(Caller caller, InodePath request, DirectoryInode parent, Inode child)
    {
        if ((parent.Permission & FsMode.StickyBit) == 0
            || string.Equals(parent.Owner, caller.User, StringComparison.Ordinal)
            || string.Equals(child.Owner, caller.User, StringComparison.Ordinal))
        {
            return;
        }
        throw FsErrors.StickyBitDenied(request.Path, caller.User, request.PathAt(request.LastIndex), child, request.PathAt(request.LastIndex - 1), parent);
    }

    private static void CheckSubtree(Caller caller, InodePath request, DirectoryInode top, string topPath, FsAccess access, bool ignoreEmptyDirectories)
    {
        var pending = new Stack<(DirectoryInode Directory, string Path)>();
        pending.Push((top, topPath));
        while (pending.Count > 0)
        {
            var (directory, directoryPath) = pending.Pop();
            if (ignoreEmptyDirectories && directory.ChildCount == 0)
            {
                continue;
            }
            Require(caller, request, directory, directoryPath, access);
            for (var i = 0; i < directory.ChildCount; i++)
            {
                if (directory.ChildAt(i) is DirectoryInode child)
                {
                    pending.Push((child, DfsPath.Combine(directoryPath, child.Name)));
                }
            }
        }
    }
}
