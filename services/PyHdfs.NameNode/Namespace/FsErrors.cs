using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

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

    public static DfsException LeaseConflict(string path, string holder) =>
        new(ErrorKind.LeaseConflict, $"{path}: is being written by {holder}");

    public static DfsException NotLeaseHolder(string path, string holder, string caller) =>
        new(ErrorKind.LeaseConflict, string.IsNullOrEmpty(holder)
            ? $"{path}: is not open for writing (client {caller} holds no lease on it)"
            : $"{path}: the lease is held by {holder}, not by {caller}");
}
