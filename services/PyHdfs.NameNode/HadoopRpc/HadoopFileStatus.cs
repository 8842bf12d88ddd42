using Google.Protobuf;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>Our FileStatus as Hadoop's HdfsFileStatusProto (every required field set: the Go client enforces them).</summary>
internal static class HadoopFileStatus
{
    /// <summary><paramref name="path"/> is the name relative to the listed directory; empty for getFileInfo.</summary>
    public static HdfsFileStatusProto From(FileStatus status, ByteString path) => new()
    {
        FileType = status.Type == FileType.Directory ? HdfsFileStatusProto.Types.FileType.IsDir : HdfsFileStatusProto.Types.FileType.IsFile,
        Path = path,
        Length = (ulong)status.Length,
        Permission = new FsPermissionProto { Perm = status.Permission & 0xFFF },
        Owner = status.Owner,
        Group = status.Group,
        ModificationTime = (ulong)status.ModificationTimeMs,
        AccessTime = (ulong)status.AccessTimeMs,
        BlockReplication = (uint)status.Replication,
        Blocksize = (ulong)status.BlockSize,
        FileId = (ulong)status.FileId,
        ChildrenNum = status.Type == FileType.Directory ? (int)status.ChildrenCount : 0,
    };
}
