using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>
/// Turns Redis into events for the watchers of this process: subscribes to the events channel, asks
/// Redis for expiry notifications (keyspace events) so a death is announced within moments, and
/// sweeps the members set every TTL/4 as the fallback when notifications are unavailable or lost.
/// </summary>
public sealed partial class RegistryEventPump(
    IConnectionMultiplexer redis, RedisKeys keys, IRegistryStore store, DataNodeEventHub hub,
    IOptions<RegistryOptions> options, RedisConnectionFailures failures, ILogger<RegistryEventPump> logger) : BackgroundService
{
    private readonly TimeSpan _sweepInterval = TimeSpan.FromMilliseconds(Math.Max(50, options.Value.DataNodeTtlMs / 4));

    /// <summary>Completes once the subscriptions are in place (tests and watchers rely on events flowing from then on).</summary>
    public Task Subscribed => _subscribed.Task;

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SubscribeUntilDoneAsync(stoppingToken).ConfigureAwait(false);
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            using var timer = new PeriodicTimer(_sweepInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private async Task SubscribeUntilDoneAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A message queue (not a callback) delivers in publish order: REMOVED before the ADDED of a new life.
                var events = await subscriber.SubscribeAsync(keys.Events).ConfigureAwait(false);
                events.OnMessage(message => OnEventMessage(message.Message));
                await EnableExpiryNotificationsAsync().ConfigureAwait(false);
                var expired = RedisChannel.Literal($"__keyevent@{redis.GetDatabase().Database}__:expired");
                await subscriber.SubscribeAsync(expired, (_, key) => OnKeyExpired(key)).ConfigureAwait(false);
                failures.Clear();
                _subscribed.TrySetResult();
                return;
            }
            catch (RedisException e)
            {
                await failures.RecordAsync(e, stoppingToken).ConfigureAwait(false);
                LogSubscribeFailed(logger, e.Message);
                await Task.Delay(_sweepInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task EnableExpiryNotificationsAsync()
    {
        foreach (var endpoint in redis.GetEndPoints())
        {
            var endpointName = endpoint.ToString() ?? "?";
            try
            {
                var server = redis.GetServer(endpoint);
                var current = (await server.ConfigGetAsync("notify-keyspace-events").ConfigureAwait(false))
                    .FirstOrDefault().Value ?? "";
                var wanted = MergeNotifyFlags(current);
                if (wanted != current)
                {
                    await server.ConfigSetAsync("notify-keyspace-events", wanted).ConfigureAwait(false);
                }
                LogNotificationsEnabled(logger, endpointName, wanted);
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or NotSupportedException or RedisServerException)
            {
                // Managed Redis often disallows CONFIG: the sweeper still finds every death, only later.
                LogNotificationsUnavailable(logger, endpointName, e.Message);
            }
        }
    }

    /// <summary>Adds E (keyevent channel) and x (expired) to whatever flags the server already has.</summary>
    internal static string MergeNotifyFlags(string current)
    {
        var flags = current;
        if (!flags.Contains('E'))
        {
            flags += "E";
        }
        if (!flags.Contains('x') && !flags.Contains('A'))
        {
            flags += "x";
        }
        return flags;
    }

    private void OnEventMessage(RedisValue message)
    {
        var decoded = RegistryEventMessage.TryDecode((byte[]?)message);
        if (decoded is null)
        {
            LogUndecodableEvent(logger);
            return;
        }
        hub.Publish(decoded);
    }

    private void OnKeyExpired(RedisValue key)
    {
        var id = keys.DataNodeIdOf(key.ToString());
        if (id is not null)
        {
            _ = AnnounceDeathAsync(id);
        }
    }

    private async Task AnnounceDeathAsync(string id)
    {
        try
        {
            if (await store.RemoveIfExpiredAsync(id).ConfigureAwait(false))
            {
                LogDataNodeExpired(logger, id, "keyspace notification");
            }
        }
        catch (RedisException e)
        {
            LogSweepFailed(logger, e.Message); // the sweeper will find it
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        try
        {
            var removed = await store.SweepExpiredAsync(stoppingToken).ConfigureAwait(false);
            if (removed > 0)
            {
                LogSweeperRemoved(logger, removed);
            }
        }
        catch (RedisException e)
        {
            LogSweepFailed(logger, e.Message);
        }
    }

    // Pub/sub messages sent while disconnected are lost: give every watcher a fresh snapshot.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = ResnapshotAsync();

    private async Task ResnapshotAsync()
    {
        try
        {
            var nodes = await store.ListDataNodesAsync().ConfigureAwait(false);
            hub.Publish(new Protocol.Registry.DataNodeEvent { Kind = Protocol.Registry.DataNodeEvent.Types.Kind.Snapshot, Nodes = { nodes } });
        }
        catch (RedisException ex)
        {
            LogSweepFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry: subscribing to Redis failed ({Cause}); retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, string cause);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: Redis {Endpoint} notify-keyspace-events={Flags}")]
    private static partial void LogNotificationsEnabled(ILogger logger, string endpoint, string flags);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry: cannot enable expiry notifications on Redis {Endpoint} ({Cause}); deaths are found by the sweeper only")]
    private static partial void LogNotificationsUnavailable(ILogger logger, string endpoint, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry: ignored an undecodable message on the events channel")]
    private static partial void LogUndecodableEvent(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: DataNode {Id} expired ({Via})")]
    private static partial void LogDataNodeExpired(ILogger logger, string id, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: sweeper announced {Count} expired DataNode(s)")]
    private static partial void LogSweeperRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registry: expiry check failed ({Cause}); will retry")]
    private static partial void LogSweepFailed(ILogger logger, string cause);
}
