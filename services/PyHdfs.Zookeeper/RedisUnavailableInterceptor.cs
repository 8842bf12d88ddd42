using Grpc.Core;
using Grpc.Core.Interceptors;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>A call that could not reach Redis fails as UNAVAILABLE with the cause, so callers retry and say why.</summary>
public sealed class RedisUnavailableInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable(e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable(e);
        }
    }

    private static RpcException Unavailable(Exception e) =>
        new(new Status(StatusCode.Unavailable, $"the registry cannot reach Redis: {e.Message}"));
}
