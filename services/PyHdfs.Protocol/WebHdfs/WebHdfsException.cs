using System.Text.Json;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.Protocol.WebHdfs;

/// <summary>
/// A WebHDFS failure as Hadoop reports it: an HTTP status and the body
/// <c>{"RemoteException":{"exception":…,"javaClassName":…,"message":…}}</c>. Clients switch on
/// <see cref="Exception"/> (fsspec: IllegalArgument/UnsupportedOperation → ValueError, Security/AccessControl →
/// PermissionError, FileNotFound → FileNotFoundError) and show <see cref="Message"/>.
/// </summary>
public sealed class WebHdfsException(int status, string exception, string javaClassName, string message) : System.Exception(message)
{
    public int Status { get; } = status;

    public string Exception { get; } = exception;

    public string JavaClassName { get; } = javaClassName;

    public static WebHdfsException IllegalArgument(string message) =>
        new(400, "IllegalArgumentException", "java.lang.IllegalArgumentException", message);

    /// <summary>Hadoop's wording for a parameter it cannot parse.</summary>
    public static WebHdfsException InvalidParameter(string name, string value, string why) =>
        IllegalArgument($"Invalid value for webhdfs parameter \"{name}\": {why} (\"{value}\")");

    public static WebHdfsException UnsupportedOperation(string message) =>
        new(400, "UnsupportedOperationException", "java.lang.UnsupportedOperationException", message);

    public static WebHdfsException InvalidPath(string message) =>
        new(400, "InvalidPathException", "org.apache.hadoop.fs.InvalidPathException", message);

    /// <summary>A DataNode URL whose token is missing, forged, expired or for another path (Hadoop: InvalidToken, a SecurityException).</summary>
    public static WebHdfsException Security(string message) =>
        new(401, "SecurityException", "java.lang.SecurityException", message);

    public static WebHdfsException AccessControl(string message) =>
        new(403, "AccessControlException", "org.apache.hadoop.security.AccessControlException", message);

    public static WebHdfsException FileNotFound(string message) =>
        new(404, "FileNotFoundException", "java.io.FileNotFoundException", message);

    public static WebHdfsException IO(string message) =>
        new(500, "IOException", "java.io.IOException", message);

    /// <summary>
    /// Hadoop's exception for each of our error kinds, with its status: 400 for bad arguments, 401 for a bad token,
    /// 403 for refusals (permissions, existing files, non-empty directories, standby, safe mode, leases), 404 for
    /// missing files, 500 for the rest. <paramref name="path"/> makes the not-found message Hadoop's own.
    /// </summary>
    public static WebHdfsException From(ErrorKind kind, string message, string? path = null) => kind switch
    {
        ErrorKind.FileNotFound => FileNotFound(path is null ? message : $"File does not exist: {path}"),
        ErrorKind.ParentNotFound => FileNotFound(message),
        ErrorKind.IsADirectory => FileNotFound(path is null ? message : $"Path is not a file: {path}"),
        ErrorKind.InvalidPath => InvalidPath(message),
        ErrorKind.InvalidArgument => IllegalArgument(message),
        ErrorKind.PermissionDenied => AccessControl(message),
        ErrorKind.AccessTokenInvalid => Security(message),
        ErrorKind.AlreadyExists => new(403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", message),
        ErrorKind.NotEmpty => new(403, "PathIsNotEmptyDirectoryException", "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", message),
        ErrorKind.NotADirectory => new(403, "ParentNotDirectoryException", "org.apache.hadoop.fs.ParentNotDirectoryException", message),
        ErrorKind.StandbyNamenode => new(403, "StandbyException", "org.apache.hadoop.ipc.StandbyException", message),
        ErrorKind.SafeMode => new(403, "SafeModeException", "org.apache.hadoop.hdfs.server.namenode.SafeModeException", message),
        ErrorKind.LeaseConflict => new(403, "AlreadyBeingCreatedException", "org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException", message),
        ErrorKind.MoveIntoSelf => IllegalArgument(message),
        _ => IO(message),
    };

    public static WebHdfsException From(DfsException exception, string? path = null) => From(exception.Kind, exception.Message, path);

    /// <summary>A RemoteException body (from a DataNode's answer) back into the exception; anything else is an IOException naming the status.</summary>
    public static WebHdfsException FromJson(int status, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var remote = document.RootElement.GetProperty("RemoteException");
            return new(status, remote.GetProperty("exception").GetString() ?? "IOException",
                remote.GetProperty("javaClassName").GetString() ?? "java.io.IOException", remote.GetProperty("message").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return IO($"HTTP {status} without a RemoteException body");
        }
    }

    /// <summary>The JSON body, as Hadoop writes it.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("RemoteException");
            json.WriteString("exception", Exception);
            json.WriteString("javaClassName", JavaClassName);
            json.WriteString("message", Message);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
