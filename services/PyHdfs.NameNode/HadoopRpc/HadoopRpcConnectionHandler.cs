using Microsoft.AspNetCore.Connections;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// Kestrel serves the Hadoop IPC port as raw TCP (a connection handler on its own endpoint), so connection
/// limits, graceful shutdown and connection metrics are Kestrel's. A malformed frame closes that one
/// connection with a log line naming the peer and the cause.
/// </summary>
internal sealed class HadoopRpcConnectionHandler(HadoopRpcMethods methods, ILogger<HadoopRpcConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        await using var input = connection.Transport.Input.AsStream();
        await using var output = connection.Transport.Output.AsStream();
        try
        {
            await new HadoopRpcConnection(input, output, methods, HadoopRpcFraming.DefaultMaxFrameBytes, logger).RunAsync(connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (HadoopRpcProtocolException e)
        {
            logger.LogInformation("Hadoop RPC connection from {Peer} refused: {Cause}", connection.RemoteEndPoint, e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The client went away mid-call.
        }
    }
}
