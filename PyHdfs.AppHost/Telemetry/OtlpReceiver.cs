using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace PyHdfs.AppHost.Telemetry;

/// <summary>OTLP/gRPC TraceService: spans go to the <see cref="TraceStore"/>.</summary>
internal sealed class OtlpTraceReceiver(TraceStore store) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        store.Add(OtlpMapping.ToSpans(request));
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}

/// <summary>OTLP/gRPC LogsService: records go to the <see cref="TelemetryLogStore"/>.</summary>
internal sealed class OtlpLogsReceiver(TelemetryLogStore store) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        store.Add(OtlpMapping.ToLogs(request));
        return Task.FromResult(new ExportLogsServiceResponse());
    }
}

/// <summary>OTLP/gRPC MetricsService: accepted so exporters do not log failures, and discarded.</summary>
internal sealed class OtlpMetricsReceiver : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(new ExportMetricsServiceResponse());
}
