using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using PyHdfs.AppHost.Telemetry;
using OtlpResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace PyHdfs.AppHost.Tests;

public sealed class OtlpMappingTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736");
    private static readonly byte[] SpanId = Convert.FromHexString("00f067aa0ba902b7");
    private static readonly byte[] ParentId = Convert.FromHexString("53995c3f42cd8ad8");

    private static KeyValue Attribute(string key, AnyValue value) => new() { Key = key, Value = value };

    private static OtlpResource Service(string name) => new() { Attributes = { Attribute("service.name", new AnyValue { StringValue = name }) } };

    [Fact]
    public void A_span_keeps_its_ids_parent_service_kind_times_status_attributes_and_links()
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(TraceId),
            SpanId = ByteString.CopyFrom(SpanId),
            ParentSpanId = ByteString.CopyFrom(ParentId),
            Name = "namenode Create /a",
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_002_500_000,
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "FILE_EXISTS" },
            Attributes =
            {
                Attribute("pyhdfs.path", new AnyValue { StringValue = "/a" }),
                Attribute("pyhdfs.block_id", new AnyValue { IntValue = 1073741825 }),
                Attribute("pyhdfs.overwrite", new AnyValue { BoolValue = false }),
                Attribute("ratio", new AnyValue { DoubleValue = 0.5 }),
                Attribute("targets", new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "dn1" }, new AnyValue { StringValue = "dn2" } } } }),
            },
            Links = { new Span.Types.Link { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom(ParentId) } },
        };
        var request = new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { Resource = Service("namenode"), ScopeSpans = { new ScopeSpans { Spans = { span } } } } },
        };

        var record = Assert.Single(OtlpMapping.ToSpans(request));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", record.TraceId);
        Assert.Equal("00f067aa0ba902b7", record.SpanId);
        Assert.Equal("53995c3f42cd8ad8", record.ParentSpanId);
        Assert.Equal(("namenode", "namenode Create /a", "server"), (record.Service, record.Name, record.Kind));
        Assert.Equal(2.5, record.DurationMs, precision: 6);
        Assert.Equal(("error", "FILE_EXISTS"), (record.Status, record.StatusMessage));
        Assert.Equal("/a", record.Attributes["pyhdfs.path"]);
        Assert.Equal("1073741825", record.Attributes["pyhdfs.block_id"]);
        Assert.Equal("false", record.Attributes["pyhdfs.overwrite"]);
        Assert.Equal("0.5", record.Attributes["ratio"]);
        Assert.Equal("[dn1, dn2]", record.Attributes["targets"]);
        Assert.Equal(new SpanLink("4bf92f3577b34da6a3ce929d0e0e4736", "53995c3f42cd8ad8"), Assert.Single(record.Links));
    }

    [Fact]
    public void A_root_span_has_no_parent_a_resource_without_a_name_is_unknown_and_invalid_ids_are_skipped()
    {
        var request = new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new OtlpResource(),
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Spans =
                            {
                                new Span { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom(SpanId), Name = "put /a" },
                                new Span { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom([1, 2, 3]), Name = "bad id" },
                            },
                        },
                    },
                },
            },
        };

        var record = Assert.Single(OtlpMapping.ToSpans(request));

        Assert.Null(record.ParentSpanId);
        Assert.Equal(OtlpMapping.UnknownService, record.Service);
        Assert.Equal(("unset", "unspecified"), (record.Status, record.Kind));
    }

    [Fact]
    public void Wire_bytes_of_the_public_otlp_shape_parse_into_our_messages()
    {
        // What an exporter sends is only the field numbers: serialize, parse back, map.
        var original = new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { Resource = Service("client"), ScopeSpans = { new ScopeSpans { Spans = { new Span { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom(SpanId), Name = "get /a" } } } } } },
        };
        var parsed = ExportTraceServiceRequest.Parser.ParseFrom(original.ToByteArray());

        Assert.Equal("get /a", Assert.Single(OtlpMapping.ToSpans(parsed)).Name);
        // ResourceSpans.scope_spans is field 2 and Span.name field 5 in opentelemetry-proto.
        Assert.Equal(2, ResourceSpans.ScopeSpansFieldNumber);
        Assert.Equal(5, Span.NameFieldNumber);
        Assert.Equal(15, Span.StatusFieldNumber);
    }

    [Fact]
    public void A_log_record_keeps_service_severity_body_and_trace()
    {
        var request = new ExportLogsServiceRequest
        {
            ResourceLogs =
            {
                new ResourceLogs
                {
                    Resource = Service("datanode-1"),
                    ScopeLogs =
                    {
                        new ScopeLogs
                        {
                            LogRecords =
                            {
                                new LogRecord
                                {
                                    TimeUnixNano = 1_700_000_000_000_000_000,
                                    SeverityNumber = 13,
                                    Body = new AnyValue { StringValue = "disk almost full" },
                                    TraceId = ByteString.CopyFrom(TraceId),
                                    SpanId = ByteString.CopyFrom(SpanId),
                                },
                            },
                        },
                    },
                },
            },
        };

        var log = Assert.Single(OtlpMapping.ToLogs(request));

        Assert.Equal(("datanode-1", "Warning", "disk almost full"), (log.Service, log.Severity, log.Message));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", log.TraceId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), log.Time);
    }
}
