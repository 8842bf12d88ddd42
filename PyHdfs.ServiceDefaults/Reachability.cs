using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Whether a service this process depends on, but can work without for a while, answers (the
/// registry, Redis): one log line when an outage starts and one when it ends, never one per
/// failed call, and a health check that says "degraded: NAME unreachable since …" meanwhile.
/// Thread-safe.
/// </summary>
public sealed partial class Reachability(string name, ILogger logger, TimeProvider? time = null) : IHealthCheck
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private string _reason = "";

    /// <summary>The registry (Zookeeper service): the NameNodes and DataNodes carry on without it.</summary>
    public const string Registry = "registry";

    public string Name { get; } = name;

    /// <summary>When the outage began; null while reachable.</summary>
    public DateTimeOffset? UnreachableSince
    {
        get
        {
            lock (_lock)
            {
                return _since;
            }
        }
    }

    /// <summary>"reachable", or "unreachable since … (why)".</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return _since is { } since ? $"unreachable since {since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({_reason})" : "reachable";
        }
    }

    public void Reached()
    {
        DateTimeOffset? ended;
        lock (_lock)
        {
            ended = _since;
            _since = null;
        }
        if (ended is { } since)
        {
            var seconds = (_time.GetUtcNow() - since).TotalSeconds;
            LogReachedAgain(logger, Name, seconds);
        }
    }

    public void Failed(string reason)
    {
        bool started;
        lock (_lock)
        {
            started = _since is null;
            _since ??= _time.GetUtcNow();
            _reason = reason;
        }
        if (started)
        {
            LogUnreachable(logger, Name, reason);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(UnreachableSince is null
            ? HealthCheckResult.Healthy($"{Name} reachable")
            : HealthCheckResult.Degraded($"{Name} {Describe()}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} is reachable again after {Seconds:0.0} s")]
    private static partial void LogReachedAgain(ILogger logger, string name, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} is unreachable ({Reason}); carrying on without it and retrying in the background")]
    private static partial void LogUnreachable(ILogger logger, string name, string reason);
}

public static class ReachabilityServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="Reachability"/> for the dependency <paramref name="name"/>, a keyed singleton
    /// (<c>[FromKeyedServices(name)]</c>) that /health reports under that name.
    /// </summary>
    public static IServiceCollection AddReachability(this IServiceCollection services, string name)
    {
        services.AddKeyedSingleton(name, (sp, _) => new Reachability(name, sp.GetRequiredService<ILoggerFactory>().CreateLogger($"PyHdfs.Reachability.{name}")));
        services.AddHealthChecks().Add(new HealthCheckRegistration(name, sp => sp.GetRequiredKeyedService<Reachability>(name), null, null));
        return services;
    }
}
