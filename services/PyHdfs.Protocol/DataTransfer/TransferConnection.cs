using System.Net.Sockets;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Protocol.DataTransfer;

/// <summary>Opens the connection of a block transfer to a DataNode: TCP, wrapped in TLS when the cluster's CA is given.</summary>
public static class TransferConnection
{
    /// <summary>No Nagle; socket buffers of <paramref name="bufferBytes"/> when positive (else the system's).</summary>
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
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, as the TLS client when <paramref name="trust"/> is
    /// given; connect and handshake together give up after <paramref name="timeout"/> (an <see cref="IOException"/>).
    /// A failed handshake is an <see cref="IOException"/>; a refused or unreachable peer is the <see cref="SocketException"/>.
    /// </summary>
    /// <param name="peerDescription">How messages name the peer, e.g. "dn-1 (10.0.0.5:9866)".</param>
    public static async Task<Stream> ConnectAsync(string host, int port, int socketBufferBytes, TimeSpan timeout,
        ClusterTrust? trust, string peerDescription, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(host) || port is <= 0 or > 65535)
        {
            throw new IOException($"invalid address '{host}:{port}'");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Configure(socket, socketBufferBytes);
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
                var stream = new NetworkStream(socket, ownsSocket: true);
                return trust is null
                    ? stream
                    : await trust.AuthenticateAsClientAsync(stream, host, peerDescription, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"connect to {peerDescription} timed out after {timeout.TotalSeconds:0.#} s"
                    + (trust is not null && socket.Connected ? " (TLS handshake)" : ""));
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
