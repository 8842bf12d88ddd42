using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses calls to cluster-internal gRPC services from processes that do not prove membership
/// (<see cref="ClusterMembership"/>). <paramref name="protectedServices"/> are full service names
/// ("pyhdfs.namenode.DataNodeProtocol"); empty protects every service of the host.
/// </summary>
/// <remarks>Register with <see cref="GrpcMembershipExtensions.AddClusterMembership"/>.</remarks>
public sealed class ClusterMembershipInterceptor(ClusterMembership membership, ILogger<ClusterMembershipInterceptor> logger,
    string[] protectedServices) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!membership.IsEnforced || !IsProtected(context.Method) || membership.Accepts(context.RequestHeaders.GetValue(ClusterMembership.HeaderName)))
        {
            return;
        }
        logger.LogWarning("Refused {Method} from {Peer}: no valid proof of cluster membership", context.Method, context.Peer);
        throw DfsErrors.Create(ErrorKind.PermissionDenied,
            $"{context.Method}: permission denied: the caller is not a member of this cluster (missing or wrong cluster secret, {ClusterMembership.ConfigurationKey})");
    }

    /// <summary>Method is "/package.Service/Method".</summary>
    private bool IsProtected(string method) =>
        protectedServices.Length == 0
        || protectedServices.Any(service => method.Length > service.Length + 1
            && method[0] == '/' && method.AsSpan(1).StartsWith(service, StringComparison.Ordinal) && method[service.Length + 1] == '/');
}

public static class GrpcMembershipExtensions
{
    /// <summary>Protects the named services (none named: every service of the host) with <see cref="ClusterMembershipInterceptor"/>.</summary>
    public static void AddClusterMembership(this Grpc.AspNetCore.Server.GrpcServiceOptions options, params string[] protectedServices) =>
        options.Interceptors.Add<ClusterMembershipInterceptor>((object)protectedServices);
}
