using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace PyHdfs.AppHost;

/// <summary>
/// The keys of this run's dashboard: <c>x-api-key</c> for its telemetry HTTP API (/api/telemetry/*, what
/// <c>pyhdfs trace</c> and <c>aspire otel traces</c> read) and <c>x-otlp-api-key</c> for its OTLP receiver.
/// </summary>
/// <remarks>
/// Aspire reads them from AppHost:DashboardApiKey and AppHost:OtlpApiKey when it starts the dashboard and the
/// resources (so the services' OTEL_EXPORTER_OTLP_HEADERS carry the same key). Left alone, it generates them
/// once and keeps them in the user-secrets store for every later run; fresh ones per run mean a cluster file
/// left by an earlier run opens nothing. Null when the dashboard takes no keys (unsecured, or no dashboard).
/// </remarks>
public sealed record DashboardApiKeys(string? TelemetryApiKey, string? OtlpApiKey)
{
    private const string TelemetryApiKeyName = "AppHost:DashboardApiKey";
    private const string OtlpApiKeyName = "AppHost:OtlpApiKey";

    public static DashboardApiKeys ForThisRun(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // Aspire has set both (from user secrets, or generated) by now unless the dashboard is unsecured or disabled.
        if (!builder.ExecutionContext.IsRunMode || configuration[TelemetryApiKeyName] is null || configuration[OtlpApiKeyName] is null)
        {
            return new DashboardApiKeys(null, null);
        }
        var keys = new DashboardApiKeys(NewKey(), NewKey());
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryApiKeyName] = keys.TelemetryApiKey,
            [OtlpApiKeyName] = keys.OtlpApiKey,
        });
        return keys;
    }

    private static string NewKey() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    public override string ToString() => $"{nameof(DashboardApiKeys)} {{ set = {TelemetryApiKey is not null} }}";
}
