using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Binds gRPC services like Grpc.AspNetCore's own binder, except that a request body which is not the
/// method's protobuf message is answered INVALID_ARGUMENT ("malformed request: ...") instead of the
/// framework's UNKNOWN "Exception was thrown by handler." — the body is decoded before any interceptor
/// runs, so only the request marshaller can say what went wrong.
/// </summary>
public static class MalformedRequestBinding
{
    /// <summary>Call after <c>AddGrpc</c>: replaces the framework's method binder for every service.</summary>
    public static IServiceCollection AddMalformedRequestStatus(this IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(StrictServiceMethodProvider<>)));
        return services;
    }

    /// <summary>The request marshaller of <paramref name="method"/>, with undecodable bodies turned into INVALID_ARGUMENT.</summary>
    internal static Method<TRequest, TResponse> WithStrictRequests<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var strict = Marshallers.Create(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed request to {method.FullName}: {e.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, strict, method.ResponseMarshaller);
    }
}

/// <summary>Finds the generated BindService of <typeparamref name="TService"/>'s base class and registers each method with a strict request marshaller.</summary>
internal sealed class StrictServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var (bindType, bindMethodName, serviceBase) = FindBinding(typeof(TService));
        if (bindType is null)
        {
            return; // Not a generated service: nothing to bind (as the framework's own binder).
        }
        var bindService = bindType.GetMethod(bindMethodName!, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), serviceBase!])
            ?? throw new InvalidOperationException($"{bindType}.{bindMethodName}(ServiceBinderBase, {serviceBase}) not found");
        bindService.Invoke(null, [new Binder(context), null]);
    }

    private static (Type? BindType, string? Method, Type? ServiceBase) FindBinding(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return (attribute.BindType, attribute.BindMethodName, current);
            }
        }
        return (null, null, null);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(MalformedRequestBinding.WithStrictRequests(method), Metadata(method),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(MalformedRequestBinding.WithStrictRequests(method), Metadata(method),
                Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(MalformedRequestBinding.WithStrictRequests(method), Metadata(method),
                Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(MalformedRequestBinding.WithStrictRequests(method), Metadata(method),
                Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        /// <summary>An open-instance delegate to the service's method of that name (the override, or the base's UNIMPLEMENTED).</summary>
        private static TDelegate Invoker<TDelegate>(IMethod method, params Type[] parameters) where TDelegate : Delegate =>
            ServiceMethod(method, parameters).CreateDelegate<TDelegate>();

        private static MethodInfo ServiceMethod(IMethod method, Type[] parameters) =>
            typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService)} has no method {method.Name}");

        /// <summary>The endpoint metadata the framework gives: the service's attributes, then the method's.</summary>
        private static List<object> Metadata(IMethod method) =>
            [.. typeof(TService).GetCustomAttributes(inherit: true),
             .. typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == method.Name).Take(1)
                 .SelectMany(m => m.GetCustomAttributes(inherit: true))];
    }
}
