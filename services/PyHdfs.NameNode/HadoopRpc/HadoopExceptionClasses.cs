using PyHdfs.Protocol;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>Maps our namespace error kinds to the Java exception class names Hadoop clients recognise (reference §1.5).</summary>
public static class HadoopExceptionClasses
{
    public const string FileNotFound = "java.io.FileNotFoundException";
    public const string AccessControl = "org.apache.hadoop.security.AccessControlException";
    public const string FileAlreadyExists = "org.apache.hadoop.fs.FileAlreadyExistsException";
    public const string PathIsNotEmptyDirectory = "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException";
    public const string SafeMode = "org.apache.hadoop.hdfs.server.namenode.SafeModeException";
    public const string Standby = "org.apache.hadoop.ipc.StandbyException";
    public const string NoSuchMethod = "org.apache.hadoop.ipc.RpcNoSuchMethodException";
    public const string ParentNotDirectory = "org.apache.hadoop.fs.ParentNotDirectoryException";
    public const string InvalidPath = "org.apache.hadoop.fs.InvalidPathException";
    public const string IllegalArgument = "java.lang.IllegalArgumentException";
    public const string LeaseExpired = "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException";
    public const string AlreadyBeingCreated = "org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException";
    public const string NotReplicatedYet = "org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException";
    public const string IO = "java.io.IOException";

    public static string For(ErrorKind kind) => kind switch
    {
        ErrorKind.FileNotFound or ErrorKind.ParentNotFound => FileNotFound,
        ErrorKind.PermissionDenied => AccessControl,
        ErrorKind.AlreadyExists => FileAlreadyExists,
        ErrorKind.NotEmpty => PathIsNotEmptyDirectory,
        ErrorKind.SafeMode => SafeMode,
        ErrorKind.StandbyNamenode => Standby,
        ErrorKind.NotADirectory => ParentNotDirectory,
        ErrorKind.InvalidPath => InvalidPath,
        ErrorKind.InvalidArgument or ErrorKind.MoveIntoSelf => IllegalArgument,
        ErrorKind.LeaseConflict => AlreadyBeingCreated,
        ErrorKind.NotYetReplicated => NotReplicatedYet,
        _ => IO,
    };
}
