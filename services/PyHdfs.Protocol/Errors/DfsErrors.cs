using Grpc.Core;

namespace PyHdfs.Protocol.Errors;

/// <summary>
/// Maps <see cref="ErrorKind"/> to and from gRPC status: the kind travels in the
/// "pyhdfs-error" trailer so callers can react without parsing messages.
/// </summary>
public static class DfsErrors
{
    public const string TrailerKey = "pyhdfs-error";

    /// <summary>Present on a refusal that ends by itself (safe mode after start-up), so a client may wait and retry.</summary>
    public const string RetriableTrailerKey = "pyhdfs-retriable";

    public static RpcException Create(ErrorKind kind, string message, bool retriable = false)
    {
        var trailers = new Grpc.Core.Metadata { { TrailerKey, kind.ToString() } };
        if (retriable)
        {
            trailers.Add(RetriableTrailerKey, "1");
        }
        return new RpcException(new Status(StatusCodeOf(kind), message), trailers, message);
    }

    /// <summary>True when the peer said the refusal ends by itself and the same call may succeed later.</summary>
    public static bool IsRetriable(RpcException exception) => exception.Trailers.GetValue(RetriableTrailerKey) == "1";

    /// <summary>The typed kind of a failed call, or <see cref="ErrorKind.Unspecified"/> when the peer sent none.</summary>
    public static ErrorKind KindOf(RpcException exception)
    {
        var value = exception.Trailers.GetValue(TrailerKey);
        return value is not null && Enum.TryParse<ErrorKind>(value, out var kind) ? kind : ErrorKind.Unspecified;
    }

    public static StatusCode StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.FileNotFound or ErrorKind.ParentNotFound or ErrorKind.BlockNotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.PermissionDenied or ErrorKind.AccessTokenInvalid => StatusCode.PermissionDenied,
        ErrorKind.InvalidPath or ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.SafeMode or ErrorKind.StandbyNamenode => StatusCode.Unavailable,
        ErrorKind.Fenced or ErrorKind.LeaseConflict or ErrorKind.NotEmpty or ErrorKind.NotADirectory
            or ErrorKind.IsADirectory or ErrorKind.MoveIntoSelf or ErrorKind.NotEnoughDatanodes
            or ErrorKind.NotYetReplicated => StatusCode.FailedPrecondition,
        ErrorKind.ChecksumMismatch => StatusCode.DataLoss,
        _ => StatusCode.Internal,
    };
}

/// <summary>A failure with a typed kind, thrown by service logic and turned into an RpcException at the edge.</summary>
public sealed class DfsException(ErrorKind kind, string message, bool retriable = false) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>The condition ends by itself (see <see cref="DfsErrors.RetriableTrailerKey"/>).</summary>
    public bool Retriable { get; } = retriable;

    public RpcException ToRpcException() => DfsErrors.Create(Kind, Message, Retriable);
}
