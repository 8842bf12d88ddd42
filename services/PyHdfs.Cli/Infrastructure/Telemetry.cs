using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PyHdfs.Client;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// Tracing for one CLI run. With OTEL_EXPORTER_OTLP_ENDPOINT set, spans (client + HttpClient, so gRPC
/// calls carry traceparent) are exported over OTLP; otherwise, when --trace is given, a bare listener
/// records spans so that a trace id exists and propagates to the NameNode and DataNodes.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    private readonly IDisposable? _resource;

    private Telemetry(IDisposable? resource) => _resource = resource;

    public static Telemetry Start(bool traceRequested)
    {
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        var endpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            var provider = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "pyhdfs-cli"))
                .AddSource(DfsClient.ActivitySourceName)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter()
                .Build();
            return new Telemetry(provider);
        }
        if (!traceRequested)
        {
            return new Telemetry(null);
        }
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DfsClient.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return new Telemetry(listener);
    }

    public void Dispose() => _resource?.Dispose();
}
