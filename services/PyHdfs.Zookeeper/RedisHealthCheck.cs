using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>The registry is ready only while Redis answers a PING.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisConnectionFailures failures) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"redis ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return failures.Last is { } reason
                ? HealthCheckResult.Unhealthy(reason)
                : HealthCheckResult.Unhealthy($"redis is unreachable: {e.Message}", e);
        }
    }
}
