using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>
/// Why the registry last failed to reach Redis, so that /health and the log say "authentication failed"
/// instead of a bare timeout. Never includes the connection string (it may hold the password).
/// </summary>
public sealed partial class RedisConnectionFailures(ILogger<RedisConnectionFailures> logger)
{
    private volatile string? _last;

    /// <summary>The reason of the last failure recorded; null after a success.</summary>
    public string? Last => _last;

    public void Record(Exception failure)
    {
        var connection = Causes(failure).OfType<RedisConnectionException>().FirstOrDefault();
        if (connection?.FailureType != ConnectionFailureType.AuthenticationFailure)
        {
            return;
        }
        const string reason = "Redis refused the password of ConnectionStrings__redis (authentication failed)";
        if (_last != reason)
        {
            LogAuthenticationFailed(logger, reason);
        }
        _last = reason;
    }

    public void Clear() => _last = null;

    private static IEnumerable<Exception> Causes(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "registry: {Reason}")]
    private static partial void LogAuthenticationFailed(ILogger logger, string reason);
}
