using System.Net;
using Grpc.Net.Client;

namespace Microsoft.Extensions.Hosting;

/// <summary>gRPC channels between services: plaintext h2c, keep-alive pings, several HTTP/2 connections.</summary>
public static class GrpcChannels
{
    public static GrpcChannel Create(Uri address, IServiceProvider? services = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            HttpVersion = HttpVersion.Version20,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            ServiceProvider = services,
        });
    }
}
