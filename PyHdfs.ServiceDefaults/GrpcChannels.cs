using System.Net;
using Grpc.Net.Client;
using PyHdfs.Protocol.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// gRPC channels between services: h2c, or h2 over TLS (validated against the cluster CA) when the
/// process's transport security is on (an http:// address is then called as https://) or for an
/// https:// address; keep-alive pings, several HTTP/2 connections.
/// </summary>
public static class GrpcChannels
{
    /// <summary>
    /// A channel that proves cluster membership when <paramref name="services"/> holds a configured
    /// <see cref="ClusterMembership"/>, and uses the process's <see cref="TransportSecurity"/>.
    /// </summary>
    public static GrpcChannel Create(Uri address, IServiceProvider? services = null) =>
        Create(address, services?.GetService(typeof(ClusterMembership)) as ClusterMembership, services);

    public static GrpcChannel Create(Uri address, ClusterMembership? membership, IServiceProvider? services = null) =>
        Create(address, membership, services?.GetService(typeof(TransportSecurity)) as TransportSecurity, services);

    public static GrpcChannel Create(Uri address, ClusterMembership? membership, TransportSecurity? transport, IServiceProvider? services = null)
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
        if (transport?.Trust is not null)
        {
            address = ClusterTrust.ToHttps(address);
        }
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            var trust = transport?.Trust ?? throw new InvalidOperationException(
                $"{address} is an https address but TLS is not configured here: set {TransportSecurity.EnabledKey} and {TransportSecurity.CaPathKey}");
            handler.SslOptions = trust.ClientOptions(targetHost: null, peer: address.Authority);
        }
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = membership?.ProofHeaderValue is { } proof ? new MembershipProofHandler(proof) { InnerHandler = handler } : handler,
            HttpVersion = HttpVersion.Version20,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            ServiceProvider = services,
        });
    }
}

/// <summary>Adds the membership proof to every request (gRPC metadata travels as HTTP/2 headers).</summary>
internal sealed class MembershipProofHandler(string proof) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(ClusterMembership.HeaderName, proof);
        return base.SendAsync(request, cancellationToken);
    }
}
