using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>
/// PING Redis. Unreachable is "degraded": the registry is soft state, and the NameNodes and
/// DataNodes carry on without it (docs/registry.md). A refused password is "unhealthy": a
/// configuration error no waiting will mend.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisConnectionFailures failures, RedisReachability reachability) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            reachability.State.Reached();
            return HealthCheckResult.Healthy($"redis ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            if (failures.Last is { } reason)
            {
                return HealthCheckResult.Unhealthy(reason);
            }
            reachability.State.Failed(e.Message);
            return HealthCheckResult.Degraded($"redis {reachability.State.Describe()}");
        }
    }
}
