using System.Text.Json;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

/// <summary>
/// Which dashboard <c>pyhdfs trace</c> reads, and with which API key: --dashboard, else $PYHDFS_DASHBOARD, else the
/// cluster file's "dashboard"; the key from --api-key, else $PYHDFS_DASHBOARD_API_KEY, else the cluster file's
/// "dashboardApiKey" when the URL came from it too (a key goes only to the dashboard it was made for).
/// </summary>
internal sealed record DashboardTarget(Uri Url, string? ApiKey)
{
    public const string UrlVariable = "PYHDFS_DASHBOARD";
    public const string ApiKeyVariable = "PYHDFS_DASHBOARD_API_KEY";

    public static DashboardTarget Resolve(string? urlOption, string? apiKeyOption, Func<string, string?> environment)
    {
        var apiKey = NonEmpty(apiKeyOption) ?? NonEmpty(environment(ApiKeyVariable));
        if ((NonEmpty(urlOption) ?? NonEmpty(environment(UrlVariable))) is { } url)
        {
            return new DashboardTarget(ParseUrl(url), apiKey);
        }
        var file = ClusterTelemetry.ClusterFilePath;
        ClusterTelemetry? cluster;
        try
        {
            cluster = ClusterTelemetry.Read(file);
        }
        catch (JsonException e)
        {
            throw new CliException($"the cluster file {file} is not valid JSON: {e.Message}");
        }
        if (cluster?.Dashboard is not { } dashboard)
        {
            throw new CliException(
                $"no dashboard: traces are kept by the AppHost's dashboard, and {file} {(cluster is null ? "does not exist" : "names no dashboard")}; " +
                $"start the cluster with the AppHost, or pass --dashboard URL (or set ${UrlVariable})");
        }
        return new DashboardTarget(ParseUrl(dashboard), apiKey ?? cluster.DashboardApiKey);
    }

    private static Uri ParseUrl(string value)
    {
        // A login URL (…/login?t=TOKEN) as printed by the AppHost is accepted too: only its origin matters.
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")
            : throw CliException.Usage($"'{value}' is not the dashboard's URL (e.g. http://127.0.0.1:18888)");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public override string ToString() => $"{nameof(DashboardTarget)} {{ Url = {Url}, ApiKey = {(ApiKey is null ? "none" : "set")} }}";
}
