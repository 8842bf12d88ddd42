namespace PyHdfs.NameNode.Namespace.Permissions;

/// <summary>The rights a permission check asks for: the rwx bits of one class (owner, group or other).</summary>
[Flags]
internal enum FsAccess
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
    WriteExecute = Write | Execute,
    ReadExecute = Read | Execute,
    ReadWrite = Read | Write,
    All = Read | Write | Execute,
}

internal static class FsAccessNames
{
    /// <summary>HDFS's names (READ_EXECUTE, ALL...), as they appear in "permission denied" messages.</summary>
    public static string Name(this FsAccess access) => access switch
    {
        FsAccess.None => "NONE",
        FsAccess.Execute => "EXECUTE",
        FsAccess.Write => "WRITE",
        FsAccess.WriteExecute => "WRITE_EXECUTE",
        FsAccess.Read => "READ",
        FsAccess.ReadExecute => "READ_EXECUTE",
        FsAccess.ReadWrite => "READ_WRITE",
        _ => "ALL",
    };
}
