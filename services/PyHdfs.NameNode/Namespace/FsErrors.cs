using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Permissions;

namespace PyHdfs.NameNode.Namespace;

/// <summary>The namespace's errors: each names the path and the cause.</summary>
internal static class FsErrors
{
    public static DfsException NotFound(string path) => new(ErrorKind.FileNotFound, $"{path}: no such file or directory");

    public static DfsException AlreadyExists(string path) => new(ErrorKind.AlreadyExists, $"{path}: already exists");

    public static DfsException NotADirectory(string path, string fileOnTheWay) =>
        new(ErrorKind.NotADirectory, path == fileOnTheWay ? $"{path}: is not a directory" : $"{path}: {fileOnTheWay} is not a directory");

    public static DfsException IsADirectory(string path) => new(ErrorKind.IsADirectory, $"{path}: is a directory");

    public static DfsException ParentNotFound(string path, string parent) =>
        new(ErrorKind.ParentNotFound, $"{path}: parent directory {parent} does not exist");

    public static DfsException NotEmpty(string path) => new(ErrorKind.NotEmpty, $"{path}: directory is not empty (delete it recursively)");

    public static DfsException Invalid(string path, string cause) => new(ErrorKind.InvalidArgument, $"{path}: {cause}");

    /// <summary>e.g. <c>/data/f: permission denied: user=alice, access=WRITE, inode="/data" (owner bob, group staff, mode drwxr-xr-x)</c>.</summary>
    public static DfsException PermissionDenied(string path, string user, FsAccess access, string inodePath, Inode inode) =>
        new(ErrorKind.PermissionDenied,
            $"{path}: permission denied: user={user}, access={access.Name()}, inode=\"{inodePath}\" {Describe(inode)}");

    public static DfsException StickyBitDenied(string path, string user, string entryPath, Inode entry, string directoryPath, Inode directory) =>
        new(ErrorKind.PermissionDenied,
            $"{path}: permission denied by the sticky bit: user={user} may not delete or rename \"{entryPath}\" (owner {entry.Owner}) " +
            $"in \"{directoryPath}\" {Describe(directory)}: only the owner of the entry or of the directory may");

    public static DfsException NotOwner(string path, string user, string inodePath, Inode inode) =>
        new(ErrorKind.PermissionDenied,
            $"{path}: permission denied: user={user} is not the owner of \"{inodePath}\" {Describe(inode)} (only the owner or the superuser may)");

    public static DfsException OnlySuperUser(string path, string user, string what) =>
        new(ErrorKind.PermissionDenied, $"{path}: permission denied: user={user} is not the superuser (only the superuser may {what})");

    public static DfsException NotGroupMember(string path, string user, string group) =>
        new(ErrorKind.PermissionDenied, $"{path}: permission denied: user={user} does not belong to group {group} (an owner may only choose one of its own groups)");

    private static string Describe(Inode inode) => $"(owner {inode.Owner}, group {inode.Group}, mode {FsMode.ToSymbolic(inode.Permission, inode.IsDirectory)})";

    public static DfsException LeaseConflict(string path, string holder) =>
        new(ErrorKind.LeaseConflict, $"{path}: is being written by {holder}");

    public static DfsException NotLeaseHolder(string path, string holder, string caller) =>
        new(ErrorKind.LeaseConflict, string.IsNullOrEmpty(holder)
            ? $"{path}: is not open for writing (client {caller} holds no lease on it)"
            : $"{path}: the lease is held by {holder}, not by {caller}");
}
