using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

internal static class TransferSockets
{
    /// <summary>
    /// Connects to a peer DataNode, as the TLS client when <paramref name="transport"/> is on; connect
    /// and handshake together give up after <paramref name="timeout"/>.
    /// </summary>
    public static Task<Stream> ConnectAsync(string peerId, string host, int port, int bufferBytes, TimeSpan timeout,
        TransportSecurity transport, CancellationToken cancellationToken) =>
        TransferConnection.ConnectAsync(host, port, bufferBytes, timeout, transport.Trust, $"{peerId} ({host}:{port})", cancellationToken);

    /// <summary>True for an IOException caused by a full disk (ENOSPC on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(IOException e)
    {
        var code = e.HResult & 0xFFFF;
        return OperatingSystem.IsWindows() ? code is 112 or 39 : code == 28;
    }
}
