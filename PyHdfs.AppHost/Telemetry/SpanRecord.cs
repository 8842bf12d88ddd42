namespace PyHdfs.AppHost.Telemetry;

/// <summary>One span as the AppHost received it over OTLP; ids are lower-case hex.</summary>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Service,
    string Kind,
    long StartUnixNano,
    long EndUnixNano,
    string Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanLink> Links)
{
    public double DurationMs => (EndUnixNano - StartUnixNano) / 1e6;

    public DateTimeOffset Start => DateTimeOffset.UnixEpoch.AddTicks(StartUnixNano / 100);
}

public sealed record SpanLink(string TraceId, string SpanId);

/// <summary>One line of the trace list: what happened, how long it took, who took part.</summary>
public sealed record TraceSummary(
    string TraceId,
    string Operation,
    string RootService,
    DateTimeOffset Start,
    double DurationMs,
    string Status,
    IReadOnlyList<string> Services,
    int SpanCount);

/// <summary>A log record a service exported over OTLP.</summary>
public sealed record TelemetryLog(DateTimeOffset Time, string Service, string Severity, string Message, string? TraceId, string? SpanId);
