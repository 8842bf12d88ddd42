using System.Net;
using System.Text.Json;
using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Cli.Commands;

/// <summary>
/// One trace from the Aspire dashboard's telemetry HTTP API, <c>GET /api/telemetry/traces/ID</c> (what
/// <c>aspire otel traces --trace-id ID</c> reads), authenticated by the <c>x-api-key</c> header.
/// </summary>
internal static class DashboardTraceReader
{
    public const string ApiKeyHeader = "x-api-key";

    public static async Task<TraceDocument> FetchAsync(DashboardTarget dashboard, string traceId, CancellationToken cancellationToken)
    {
        // Without a valid key the dashboard redirects to its login page: that must not be followed and parsed.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard.Url, $"api/telemetry/traces/{traceId}"));
        if (dashboard.ApiKey is { } key)
        {
            request.Headers.Add(ApiKeyHeader, key);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the dashboard at {dashboard.Url} does not answer ({e.Message}): is the cluster running?");
        }
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    throw new CliException($"trace {traceId}: unknown to the dashboard at {dashboard.Url} (spans arrive about a second after the operation)");
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new CliException(dashboard.ApiKey is null
                        ? $"the dashboard at {dashboard.Url} wants an API key: pass --api-key KEY (or set ${DashboardTarget.ApiKeyVariable})"
                        : $"the dashboard at {dashboard.Url} refused the API key (is the cluster file from another run?)");
                case HttpStatusCode.Found or HttpStatusCode.Redirect or HttpStatusCode.RedirectKeepVerb:
                    throw new CliException($"the dashboard at {dashboard.Url} redirects to its login page: it wants an API key (--api-key KEY)");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"trace {traceId}: the dashboard at {dashboard.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                return OtlpTraceJson.Parse(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new CliException($"trace {traceId}: the dashboard at {dashboard.Url} answered something that is not OTLP/JSON ({e.Message})");
            }
        }
    }
}
