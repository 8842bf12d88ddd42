using PyHdfs.Protocol.Registry;
using PyHdfs.Testing;
using static PyHdfs.Protocol.Registry.DataNodeEvent.Types;

namespace PyHdfs.Zookeeper.Tests;

public sealed class DataNodeRegistrationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Register_lists_the_node_with_server_side_timestamps_and_tells_the_ttl()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 5_000);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var response = await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-1", usedBytes: 42) });

        Assert.Equal(5_000, response.TtlMs);
        Assert.Equal(100, response.HeartbeatIntervalMs);
        var listed = Assert.Single((await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes);
        Assert.Equal("dn-1", listed.Address.Id);
        Assert.Equal(42, listed.UsedBytes);
        Assert.InRange(listed.RegisteredUnixMs, before, before + 5_000);
        Assert.InRange(listed.LastHeartbeatUnixMs, before, before + 5_000);
    }

    [Fact]
    public async Task Heartbeat_keeps_the_registration_time_and_refreshes_the_heartbeat_time()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 5_000);
        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-1") });
        var registered = (await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes[0];

        await Eventually.WaitUntilAsync(async () =>
        {
            var beat = await host.Client.HeartbeatAsync(new RegistryHeartbeatRequest { Node = RegistryTestHost.Node("dn-1", usedBytes: 7) });
            Assert.True(beat.Known);
            var now = (await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes[0];
            return now.LastHeartbeatUnixMs > registered.LastHeartbeatUnixMs;
        }, Deadline, "a later heartbeat time");

        var node = (await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes[0];
        Assert.Equal(registered.RegisteredUnixMs, node.RegisteredUnixMs);
        Assert.Equal(7, node.UsedBytes);
    }

    [Fact]
    public async Task Watch_starts_with_a_snapshot_then_streams_added_updated_removed()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 10_000);
        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-a") });
        using var watch = Watch.Start(host.Client);

        var snapshot = await watch.NextAsync();
        Assert.Equal(Kind.Snapshot, snapshot.Kind);
        Assert.Equal(["dn-a"], snapshot.Nodes.Select(n => n.Address.Id));

        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-b") });
        // dn-a's own ADDED may arrive after the snapshot (subscribe-then-snapshot delivers rather than loses).
        var added = await watch.NextMatchingAsync(e => e.Nodes.Any(n => n.Address.Id == "dn-b"), "an event about dn-b");
        Assert.True(added.Is(Kind.Added, "dn-b"), $"expected ADDED dn-b, got {added}");
        Assert.True(added.Nodes[0].RegisteredUnixMs > 0);

        await host.Client.HeartbeatAsync(new RegistryHeartbeatRequest { Node = RegistryTestHost.Node("dn-a", usedBytes: 99) });
        var updated = await watch.NextAsync();
        Assert.True(updated.Is(Kind.Updated, "dn-a"), $"expected UPDATED dn-a, got {updated}");
        Assert.Equal(99, updated.Nodes[0].UsedBytes);

        await host.Client.UnregisterAsync(new UnregisterRequest { Id = "dn-b" });
        var removed = await watch.NextAsync();
        Assert.True(removed.Is(Kind.Removed, "dn-b"), $"expected REMOVED dn-b, got {removed}");
        Assert.Equal(["dn-a"], (await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes.Select(n => n.Address.Id));
    }

    [Fact]
    public async Task Every_watcher_receives_every_event()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 10_000);
        using var first = Watch.Start(host.Client);
        using var second = Watch.Start(host.Client);
        Assert.Equal(Kind.Snapshot, (await first.NextAsync()).Kind);
        Assert.Equal(Kind.Snapshot, (await second.NextAsync()).Kind);

        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-x") });

        Assert.True((await first.NextAsync()).Is(Kind.Added, "dn-x"));
        Assert.True((await second.NextAsync()).Is(Kind.Added, "dn-x"));
    }

    [Fact]
    public async Task A_node_that_stops_heartbeating_disappears_and_watchers_get_exactly_one_removed()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 500);
        using var watch = Watch.Start(host.Client);
        Assert.Empty((await watch.NextAsync()).Nodes);

        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-dies") });
        Assert.True((await watch.NextAsync()).Is(Kind.Added, "dn-dies"));

        var removed = await watch.NextAsync(Deadline);
        Assert.True(removed.Is(Kind.Removed, "dn-dies"), $"expected REMOVED dn-dies, got {removed}");
        Assert.Empty((await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes);

        // Neither the sweeper nor a late notification may announce the same death again.
        Assert.Equal(0, await host.Store.SweepExpiredAsync());
        Assert.False(await host.Store.RemoveIfExpiredAsync("dn-dies"));
        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-next") });
        var next = await watch.NextAsync();
        Assert.True(next.Is(Kind.Added, "dn-next"), $"expected ADDED dn-next right after the single REMOVED, got {next}");
    }

    [Fact]
    public async Task The_sweeper_finds_deaths_when_keyspace_notifications_are_off()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 500);
        await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServer(admin.GetEndPoints()[0]).ConfigSetAsync("notify-keyspace-events", "");
        }
        using var watch = Watch.Start(host.Client);
        await watch.NextAsync();

        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-swept") });

        await watch.NextMatchingAsync(e => e.Is(Kind.Removed, "dn-swept"), "REMOVED dn-swept");
        Assert.Empty((await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes);
    }

    [Fact]
    public async Task Heartbeat_after_expiry_answers_unknown_and_registers_the_node_again()
    {
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 500);
        using var watch = Watch.Start(host.Client);
        await watch.NextAsync();
        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-1") });
        Assert.True((await host.Client.HeartbeatAsync(new RegistryHeartbeatRequest { Node = RegistryTestHost.Node("dn-1") })).Known);

        await watch.NextMatchingAsync(e => e.Is(Kind.Removed, "dn-1"), "REMOVED dn-1");

        var beat = await host.Client.HeartbeatAsync(new RegistryHeartbeatRequest { Node = RegistryTestHost.Node("dn-1") });
        Assert.False(beat.Known);
        Assert.True((await watch.NextAsync()).Is(Kind.Added, "dn-1"));
        Assert.Single((await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes);
    }

    [Fact]
    public async Task Heartbeat_of_an_expired_node_whose_death_was_not_yet_announced_announces_it_first()
    {
        // Drive the store directly with no pump racing it: a fresh Redis and a store of our own.
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = new RedisKeys("direct:");
        var store = new RedisRegistryStore(connection, keys,
            Microsoft.Extensions.Options.Options.Create(new RegistryOptions { DataNodeTtlMs = 200 }), TimeProvider.System);
        var received = new List<DataNodeEvent>();
        var queue = await connection.GetSubscriber().SubscribeAsync(keys.Events);
        queue.OnMessage(m =>
        {
            lock (received)
            {
                received.Add(RegistryEventMessage.TryDecode((byte[]?)m.Message)!);
            }
        });

        await store.RegisterAsync(RegistryTestHost.Node("dn-1"));
        await Eventually.WaitUntilAsync(async () => !await connection.GetDatabase().KeyExistsAsync(keys.DataNode("dn-1")),
            Deadline, "the key to expire");
        Assert.False(await store.HeartbeatAsync(RegistryTestHost.Node("dn-1")));

        await Eventually.WaitUntilAsync(() => { lock (received) { return received.Count >= 3; } }, Deadline, "three events");
        lock (received)
        {
            Assert.Equal([Kind.Added, Kind.Removed, Kind.Added], received.Select(e => e.Kind));
        }
    }

    [Fact]
    public void Missing_redis_connection_string_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ZookeeperHost.Build(["--urls=http://127.0.0.1:0"]));
        Assert.Contains("ConnectionStrings__redis", error.Message);
    }

    [Fact]
    public async Task Register_without_an_id_is_an_invalid_argument()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await host.Client.RegisterAsync(new RegisterRequest { Node = new Protocol.DataNodeInfo() }));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(Protocol.ErrorKind.InvalidArgument, Protocol.Errors.DfsErrors.KindOf(error));
    }
}
