using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Registry;
using PyHdfs.Testing;

namespace PyHdfs.Zookeeper.Tests;

/// <summary>A real redis-server plus the registry hosted in-process on an ephemeral h2c port.</summary>
internal sealed class RegistryTestHost : IAsyncDisposable
{
    private RegistryTestHost(RedisServer redis, WebApplication app, Uri address)
    {
        Redis = redis;
        App = app;
        Address = address;
        Channel = GrpcChannels.Create(address);
        Client = new Registry.RegistryClient(Channel);
    }

    public RedisServer Redis { get; }
    public WebApplication App { get; }
    public Uri Address { get; }
    public GrpcChannel Channel { get; }
    public Registry.RegistryClient Client { get; }
    public IRegistryStore Store => App.Services.GetRequiredService<IRegistryStore>();

    /// <param name="connectionString">Overrides the Redis connection string (e.g. a wrong password); the host then does not wait for its subscription.</param>
    public static async Task<RegistryTestHost> StartAsync(int ttlMs = 500, RedisServer? redis = null, string? connectionString = null)
    {
        redis ??= await RedisServer.StartAsync();
        var app = ZookeeperHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:redis={connectionString ?? redis.ConnectionString}",
            $"--Registry:DataNodeTtlMs={ttlMs}",
            "--Registry:HeartbeatIntervalMs=100",
            "--Registry:KeyPrefix=test:",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        if (connectionString is null)
        {
            await app.Services.GetRequiredService<RegistryEventPump>().Subscribed.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var address = new Uri(app.Urls.First());
        return new RegistryTestHost(redis, app, address);
    }

    public static DataNodeInfo Node(string id, long usedBytes = 0) => new()
    {
        Address = new DataNodeAddress { Id = id, Host = "127.0.0.1", DataPort = 9000 },
        HttpAddress = "http://127.0.0.1:1",
        CapacityBytes = 1000,
        UsedBytes = usedBytes,
    };

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync(TimeSpan.FromSeconds(5));
        await App.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Reads one watch stream with a deadline per event.</summary>
internal sealed class Watch(AsyncServerStreamingCall<DataNodeEvent> call) : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Watch Start(Registry.RegistryClient client) => new(client.WatchDataNodes(new WatchDataNodesRequest()));

    public async Task<DataNodeEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        Assert.True(await call.ResponseStream.MoveNext(deadline.Token), "the watch stream ended");
        return call.ResponseStream.Current;
    }

    /// <summary>Skips events (e.g. heartbeat UPDATEs) until one matches.</summary>
    public async Task<DataNodeEvent> NextMatchingAsync(Func<DataNodeEvent, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            bool moved;
            try
            {
                moved = await call.ResponseStream.MoveNext(deadline.Token);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no watch event matching {what} within {(timeout ?? DefaultTimeout).TotalSeconds} s", e);
            }
            Assert.True(moved, $"the watch stream ended before {what}");
            if (match(call.ResponseStream.Current))
            {
                return call.ResponseStream.Current;
            }
        }
    }

    public void Dispose() => call.Dispose();
}

internal static class EventExtensions
{
    public static bool Is(this DataNodeEvent e, DataNodeEvent.Types.Kind kind, string id) =>
        e.Kind == kind && e.Nodes.Count == 1 && e.Nodes[0].Address.Id == id;
}
