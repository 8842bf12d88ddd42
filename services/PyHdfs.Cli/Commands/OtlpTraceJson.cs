using System.Globalization;
using System.Text.Json;

namespace PyHdfs.Cli.Commands;

/// <summary>
/// Reads the Aspire dashboard's telemetry API answer, OTLP/JSON wrapped as <c>{"data":{"resourceSpans":[...]}}</c>,
/// into the <see cref="TraceDocument"/> that <see cref="TraceTree"/> prints. The service of a span is its
/// resource's <c>service.name</c>.
/// </summary>
internal static class OtlpTraceJson
{
    // OTLP's SpanKind and StatusCode numbers (opentelemetry-proto trace.proto).
    private static readonly string[] Kinds = ["unspecified", "internal", "server", "client", "producer", "consumer"];
    private const int StatusError = 2;
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    public static TraceDocument Parse(JsonElement root)
    {
        var resourceSpans = root.TryGetProperty("data", out var data) ? data.GetProperty("resourceSpans") : root.GetProperty("resourceSpans");
        var spans = new List<TraceSpan>();
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            var service = resource.TryGetProperty("resource", out var r) && Attributes(r).TryGetValue("service.name", out var name) ? name : "unknown";
            foreach (var scope in Array(resource, "scopeSpans"))
            {
                foreach (var span in Array(scope, "spans"))
                {
                    spans.Add(ToSpan(span, service));
                }
            }
        }
        return new TraceDocument([.. spans]);
    }

    private static TraceSpan ToSpan(JsonElement span, string service)
    {
        var kind = span.TryGetProperty("kind", out var k) && k.TryGetInt32(out var number) && number >= 0 && number < Kinds.Length ? Kinds[number] : "unspecified";
        var status = span.TryGetProperty("status", out var s) ? s : default;
        var isError = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) && c == StatusError;
        var parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
        return new TraceSpan(
            SpanId: span.GetProperty("spanId").GetString() ?? "",
            ParentSpanId: string.IsNullOrEmpty(parent) ? null : parent,
            Name: span.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
            Service: service,
            Kind: kind,
            StartUnixNano: Nanos(span, "startTimeUnixNano"),
            EndUnixNano: Nanos(span, "endTimeUnixNano"),
            Status: isError ? "error" : "ok",
            StatusMessage: isError && status.TryGetProperty("message", out var m) ? m.GetString() : null,
            Attributes: Attributes(span));
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(owner, "attributes"))
        {
            if (attribute.TryGetProperty("key", out var key) && key.GetString() is { } name && attribute.TryGetProperty("value", out var value))
            {
                attributes[name] = Text(value);
            }
        }
        return attributes;
    }

    /// <summary>An OTLP AnyValue as text; 64-bit integers come as JSON strings, arrays are joined by commas.</summary>
    private static string Text(JsonElement value)
    {
        foreach (var property in value.EnumerateObject())
        {
            return property.Name switch
            {
                "stringValue" or "intValue" => property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText(),
                "boolValue" => property.Value.GetBoolean() ? "true" : "false",
                "doubleValue" => property.Value.GetDouble().ToString(CultureInfo.InvariantCulture),
                "arrayValue" => string.Join(",", Array(property.Value, "values").Select(Text)),
                _ => property.Value.GetRawText(),
            };
        }
        return "";
    }

    private static long Nanos(JsonElement span, string name) =>
        span.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64()
            : 0;

    private static JsonElement.ArrayEnumerator Array(JsonElement owner, string name) =>
        (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array
            : EmptyArray).EnumerateArray();
}
