using System.Globalization;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;
using OtlpStatus = OpenTelemetry.Proto.Trace.V1.Status;

namespace PyHdfs.AppHost.Telemetry;

/// <summary>OTLP messages to the AppHost's own records (pure; unit tested).</summary>
public static class OtlpMapping
{
    public const string UnknownService = "unknown_service";

    public static IEnumerable<SpanRecord> ToSpans(ExportTraceServiceRequest request)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = ServiceName(resourceSpans.Resource?.Attributes);
            foreach (var scope in resourceSpans.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    if (span.TraceId.Length != 16 || span.SpanId.Length != 8)
                    {
                        continue; // invalid per the spec: ids are 16 and 8 bytes
                    }
                    yield return ToSpan(span, service);
                }
            }
        }
    }

    public static SpanRecord ToSpan(OtlpSpan span, string service) => new(
        Hex(span.TraceId),
        Hex(span.SpanId),
        span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
        span.Name,
        service,
        KindName(span.Kind),
        (long)span.StartTimeUnixNano,
        (long)Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano),
        StatusName(span.Status),
        string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
        Attributes(span.Attributes),
        [.. span.Links.Where(l => l.TraceId.Length == 16 && l.SpanId.Length == 8).Select(l => new SpanLink(Hex(l.TraceId), Hex(l.SpanId)))]);

    public static IEnumerable<TelemetryLog> ToLogs(ExportLogsServiceRequest request)
    {
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var service = ServiceName(resourceLogs.Resource?.Attributes);
            foreach (var record in resourceLogs.ScopeLogs.SelectMany(s => s.LogRecords))
            {
                var nanos = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                yield return new TelemetryLog(
                    DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100)),
                    service,
                    string.IsNullOrEmpty(record.SeverityText) ? SeverityName(record.SeverityNumber) : record.SeverityText,
                    record.Body is null ? "" : Text(record.Body),
                    record.TraceId.Length == 16 ? Hex(record.TraceId) : null,
                    record.SpanId.Length == 8 ? Hex(record.SpanId) : null);
            }
        }
    }

    public static string ServiceName(IEnumerable<KeyValue>? resourceAttributes) =>
        resourceAttributes?.FirstOrDefault(a => a.Key == "service.name")?.Value is { } value ? Text(value) : UnknownService;

    public static IReadOnlyDictionary<string, string> Attributes(IEnumerable<KeyValue> attributes)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            map[attribute.Key] = attribute.Value is null ? "" : Text(attribute.Value);
        }
        return map;
    }

    /// <summary>An attribute value as a person reads it: strings as they are, arrays as [a, b].</summary>
    public static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {(kv.Value is null ? "" : Text(kv.Value))}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };

    public static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string KindName(OtlpSpan.Types.SpanKind kind) => kind switch
    {
        OtlpSpan.Types.SpanKind.Internal => "internal",
        OtlpSpan.Types.SpanKind.Server => "server",
        OtlpSpan.Types.SpanKind.Client => "client",
        OtlpSpan.Types.SpanKind.Producer => "producer",
        OtlpSpan.Types.SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    private static string StatusName(OtlpStatus? status) => status?.Code switch
    {
        OtlpStatus.Types.StatusCode.Ok => "ok",
        OtlpStatus.Types.StatusCode.Error => "error",
        _ => "unset",
    };

    private static string SeverityName(int number) => number switch
    {
        >= 21 => "Fatal",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "",
    };
}
