using System.Net.Sockets;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client.Internal;

/// <summary>Opens the connection of a block transfer: TCP, wrapped in TLS when the cluster's CA is configured.</summary>
internal static class DataNodeConnection
{
    public const int SocketBufferBytes = 4 * 1024 * 1024;

    /// <param name="tlsCaPath">The cluster CA (<see cref="DfsClientOptions.TlsCaPath"/>); null for plain TCP.</param>
    public static async Task<Stream> ConnectAsync(DataNodeAddress node, TimeSpan timeout, string? tlsCaPath, CancellationToken cancellationToken)
    {
        ClusterTrust? trust;
        try
        {
            trust = tlsCaPath is null ? null : ClusterTrust.LoadCached(tlsCaPath);
        }
        catch (TlsConfigurationException e)
        {
            throw new IOException($"cannot connect to {Describe(node)}: {e.Message}", e);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendBufferSize = SocketBufferBytes,
            ReceiveBufferSize = SocketBufferBytes,
        };
        try
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(node.Host, node.DataPort, timeoutSource.Token).ConfigureAwait(false);
                var stream = new NetworkStream(socket, ownsSocket: true);
                return trust is null
                    ? stream
                    : await trust.AuthenticateAsClientAsync(stream, node.Host, Describe(node), timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"connect to {Describe(node)} timed out after {timeout.TotalSeconds:0.#} s"
                    + (trust is not null && socket.Connected ? " (TLS handshake)" : ""));
            }
            catch (SocketException e)
            {
                throw new IOException($"cannot connect to {Describe(node)}: {ErrorTranslation.Describe(e.SocketErrorCode, e.Message)}", e);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string Describe(DataNodeAddress node) => $"{node.Id} ({node.Host}:{node.DataPort})";
}
