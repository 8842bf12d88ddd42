using System.Net.Http.Json;
using System.Text.Json;
using PyHdfs.AppHost;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP/JSON), with its resource's service.name.</summary>
public sealed record TelemetrySpan(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>
    /// <c>GET /api/telemetry/traces/ID</c> with the run's <c>x-api-key</c> from the cluster file; empty while the
    /// dashboard does not know the trace yet (404).
    /// </summary>
    public static async Task<IReadOnlyList<TelemetrySpan>> ReadTraceAsync(ClusterFile cluster, string traceId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(cluster.Dashboard ?? throw new InvalidOperationException("the cluster file names no dashboard")) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/telemetry/traces/{traceId}");
        request.Headers.Add("x-api-key", cluster.DashboardApiKey ?? throw new InvalidOperationException("the cluster file has no dashboardApiKey"));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
        response.EnsureSuccessStatusCode();
        var root = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var spans = new List<TelemetrySpan>();
        foreach (var resource in root.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = AttributesOf(resource.GetProperty("resource"))["service.name"];
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
                    spans.Add(new TelemetrySpan(service, span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                        string.IsNullOrEmpty(parent) ? null : parent, span.GetProperty("name").GetString()!, AttributesOf(span)));
                }
            }
        }
        return spans;
    }

    private static Dictionary<string, string> AttributesOf(JsonElement owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(
                a => a.GetProperty("key").GetString()!,
                a => a.GetProperty("value").EnumerateObject().Select(v => v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : v.Value.GetRawText()).FirstOrDefault() ?? "",
                StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
