using System.Net.Sockets;
using PyHdfs.Protocol;

namespace PyHdfs.Client.Internal;

/// <summary>Opens the TCP connection of a block transfer.</summary>
internal static class DataNodeConnection
{
    public const int SocketBufferBytes = 4 * 1024 * 1024;

    public static async Task<NetworkStream> ConnectAsync(DataNodeAddress node, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"connect to {Describe(node)} timed out after {timeout.TotalSeconds:0.#} s");
            }
            catch (SocketException e)
            {
                throw new IOException($"cannot connect to {Describe(node)}: {ErrorTranslation.Describe(e.SocketErrorCode, e.Message)}", e);
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string Describe(DataNodeAddress node) => $"{node.Id} ({node.Host}:{node.DataPort})";
}
