using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.Client.Internal;

/// <summary>Turns gRPC failures into <see cref="DfsIOException"/> with one-line messages.</summary>
internal static class ErrorTranslation
{
    /// <summary>
    /// True when the call did not reach a serving NameNode, so another address may be tried: a
    /// standby, nothing listening, or a deposed active whose journal write was refused (FENCED:
    /// nothing was applied, and the retry carries the same request id).
    /// </summary>
    public static bool ShouldFailOver(RpcException e) =>
        DfsErrors.KindOf(e) is ErrorKind.StandbyNamenode or ErrorKind.Fenced || IsConnectionFailure(e);

    /// <summary>The call did not reach a NameNode: nothing listening, or something that is not a gRPC server answered.</summary>
    public static bool IsConnectionFailure(RpcException e) =>
        DfsErrors.KindOf(e) == ErrorKind.Unspecified && (e.StatusCode == StatusCode.Unavailable || IsNotGrpc(e));

    private static bool IsNotGrpc(RpcException e) =>
        e.Status.Detail.StartsWith("Bad gRPC response", StringComparison.Ordinal);

    public static DfsIOException FromRpc(RpcException e, string? path, Uri address, TimeSpan timeout)
    {
        var kind = DfsErrors.KindOf(e);
        if (IsConnectionFailure(e))
        {
            return new DfsIOException(kind, path, $"cannot reach the NameNode at {Format(address)}: {ConnectionCause(e)}", e);
        }
        if (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return new DfsIOException(kind, path, $"the NameNode at {Format(address)} did not answer within {timeout.TotalSeconds:0.#} s" + (path is null ? "" : $" ({path})"), e);
        }
        if (e.StatusCode == StatusCode.Unimplemented && kind == ErrorKind.Unspecified)
        {
            return new DfsIOException(kind, path, $"the server at {Format(address)} does not implement this NameNode call ({OneLine(e.Status.Detail)}); is it a PyHDFS NameNode?", e);
        }
        var detail = string.IsNullOrWhiteSpace(e.Status.Detail) ? e.StatusCode.ToString() : OneLine(e.Status.Detail);
        if (path is not null && !detail.Contains(path, StringComparison.Ordinal))
        {
            detail = $"{path}: {detail}";
        }
        return new DfsIOException(kind, path, detail, e);
    }

    public static string Format(Uri address) => address.GetLeftPart(UriPartial.Authority);

    public static string ConnectionCause(RpcException e)
    {
        if (IsNotGrpc(e))
        {
            return $"not a PyHDFS NameNode ({OneLine(e.Status.Detail)})";
        }
        for (Exception? inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return Describe(socket.SocketErrorCode, socket.Message);
            }
            if (inner is System.Security.Authentication.AuthenticationException tls)
            {
                return OneLine(tls.Message);
            }
        }
        if (e.Status.DebugException is HttpRequestException http)
        {
            return OneLine(http.Message);
        }
        return string.IsNullOrWhiteSpace(e.Status.Detail) ? "unavailable" : OneLine(e.Status.Detail);
    }

    public static string Describe(SocketError code, string message) => code switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "connection timed out",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
        _ => OneLine(message).ToLowerInvariant(),
    };

    public static string OneLine(string text)
    {
        var newline = text.IndexOfAny(['\r', '\n']);
        return (newline >= 0 ? text[..newline] : text).Trim();
    }
}
