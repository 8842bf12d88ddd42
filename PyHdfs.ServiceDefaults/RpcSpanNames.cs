using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names a gRPC call's server span after what it does, e.g. <c>namenode Create /data/a.bin</c>, instead of
/// the route <c>POST /pyhdfs.namenode.ClientProtocol/Create</c>, and tags the path: a person reads
/// the operation from the trace waterfall alone.
/// </summary>
public sealed class RpcSpanNames(IConfiguration configuration) : Interceptor
{
    /// <summary>The span name chosen here; re-applied when the request ends (the instrumentation renames on stop).</summary>
    public const string OperationTag = "pyhdfs.operation";

    private static readonly string[] PathFields = ["path", "src"];

    private readonly string _service = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "service";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Name(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Name(request, context);
        return continuation(request, responseStream, context);
    }

    private void Name(object request, ServerCallContext context)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var path = request is IMessage message ? PathOf(message) : null;
        var name = path is null ? $"{_service} {method}" : $"{_service} {method} {path}";
        activity.DisplayName = name;
        activity.SetTag(OperationTag, name);
        activity.SetTag("rpc.method", method);
        if (path is not null)
        {
            activity.SetTag("pyhdfs.path", path);
        }
    }

    private static string? PathOf(IMessage message)
    {
        foreach (var field in PathFields)
        {
            if (message.Descriptor.FindFieldByName(field) is { FieldType: FieldType.String, IsRepeated: false } descriptor
                && descriptor.Accessor.GetValue(message) is string { Length: > 0 } value)
            {
                return value;
            }
        }
        return null;
    }
}
