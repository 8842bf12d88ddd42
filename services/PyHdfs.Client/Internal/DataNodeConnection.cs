using System.Net.Sockets;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Client.Internal;

/// <summary>Opens the connection of a block transfer: TCP, wrapped in TLS when the cluster's CA is configured.</summary>
internal static class DataNodeConnection
{
    public const int SocketBufferBytes = 4 * 1024 * 1024;

    /// <param name="trust">The cluster CA, loaded once by the client (<see cref="DfsClientOptions.TlsCaPath"/>); null for plain TCP.</param>
    public static async Task<Stream> ConnectAsync(DataNodeAddress node, TimeSpan timeout, ClusterTrust? trust, CancellationToken cancellationToken)
    {
        try
        {
            return await TransferConnection.ConnectAsync(node.Host, node.DataPort, SocketBufferBytes, timeout, trust, Describe(node), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot connect to {Describe(node)}: {ErrorTranslation.Describe(e.SocketErrorCode, e.Message)}", e);
        }
    }

    public static string Describe(DataNodeAddress node) => $"{node.Id} ({node.Host}:{node.DataPort})";
}
