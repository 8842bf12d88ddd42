using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PyHdfs.Metadata.Storage;

namespace PyHdfs.Metadata;

/// <summary>Ready only while the namespace database answers a read.</summary>
public sealed class DatabaseHealthCheck(NamespaceStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var lastTxid = store.CheckReadable();
            return Task.FromResult(HealthCheckResult.Healthy($"{store.DatabasePath}: last txid {lastTxid}"));
        }
        catch (SqliteException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{store.DatabasePath}: {e.Message}", e));
        }
    }
}
