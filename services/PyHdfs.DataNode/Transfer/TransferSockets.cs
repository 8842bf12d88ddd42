using System.Net.Sockets;

namespace PyHdfs.DataNode.Transfer;

internal static class TransferSockets
{
    public static void Configure(Socket socket, int bufferBytes)
    {
        socket.NoDelay = true;
        if (bufferBytes > 0)
        {
            socket.ReceiveBufferSize = bufferBytes;
            socket.SendBufferSize = bufferBytes;
        }
    }

    /// <summary>
    /// Connects to a peer DataNode, as the TLS client when <paramref name="transport"/> is on; connect
    /// and handshake together give up after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Stream> ConnectAsync(string peerId, string host, int port, int bufferBytes, TimeSpan timeout,
        TransportSecurity transport, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(host) || port is <= 0 or > 65535)
        {
            throw new IOException($"invalid address '{host}:{port}'");
        }
        var peer = $"{peerId} ({host}:{port})";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Configure(socket, bufferBytes);
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
                var stream = new NetworkStream(socket, ownsSocket: true);
                return transport.Trust is { } trust
                    ? await trust.AuthenticateAsClientAsync(stream, host, peer, connectTimeout.Token).ConfigureAwait(false)
                    : stream;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"connect to {peer} timed out after {timeout.TotalSeconds:0.#} s"
                    + (transport.IsEnabled && socket.Connected ? " (TLS handshake)" : ""));
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True for an IOException caused by a full disk (ENOSPC on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(IOException e)
    {
        var code = e.HResult & 0xFFFF;
        return OperatingSystem.IsWindows() ? code is 112 or 39 : code == 28;
    }
}
