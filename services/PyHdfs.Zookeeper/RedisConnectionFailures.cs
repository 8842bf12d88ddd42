using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace PyHdfs.Zookeeper;

/// <summary>
/// Why the registry last failed to reach Redis, so that /health and the log say "authentication failed"
/// instead of a bare timeout. Never includes the connection string (it may hold the password).
/// </summary>
public sealed partial class RedisConnectionFailures(IConfiguration configuration, ILogger<RedisConnectionFailures> logger)
{
    private const string RefusedPassword = "Redis refused the password of ConnectionStrings__redis (authentication failed)";

    private volatile string? _last;

    /// <summary>The reason of the last failure recorded; null after a success.</summary>
    public string? Last => _last;

    /// <summary>
    /// Records a failed command. A command that timed out in the multiplexer's backlog often carries only
    /// the last reconnect's UnableToConnect, and the multiplexer reports a refused password once, while
    /// connecting (before anyone can listen): so when the failure does not say why, one short connection
    /// of our own, with the same settings, asks Redis.
    /// </summary>
    public async Task RecordAsync(Exception failure, CancellationToken cancellationToken)
    {
        if (IsAuthenticationFailure(failure) || await PasswordIsRefusedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_last != RefusedPassword)
            {
                LogAuthenticationFailed(logger, RefusedPassword);
            }
            _last = RefusedPassword;
        }
    }

    public void Clear() => _last = null;

    private async Task<bool> PasswordIsRefusedAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString(ZookeeperHost.RedisConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }
        var options = ConfigurationOptions.Parse(connectionString);
        if (string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.User))
        {
            return false;
        }
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 2_000;
        try
        {
            var probe = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
            await probe.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        catch (RedisConnectionException e)
        {
            return IsAuthenticationFailure(e);
        }
    }

    private static bool IsAuthenticationFailure(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "registry: {Reason}")]
    private static partial void LogAuthenticationFailed(ILogger logger, string reason);
}
