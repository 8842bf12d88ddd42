using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PyHdfs.Client;

namespace PyHdfs.Cli.Infrastructure;

/// <summary>
/// Tracing for one CLI run. Spans (client + gRPC/HttpClient, so calls carry traceparent) are exported
/// over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, or, with --trace, to the OTLP receiver of the running
/// AppHost's dashboard named in the cluster file, with its key (so <c>pyhdfs trace ID</c> shows the client's spans too).
/// Otherwise --trace records spans in process only, so that a trace id exists and propagates to the
/// NameNode and DataNodes.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    public const string DefaultServiceName = "client";
    private const string OtlpApiKeyHeader = "x-otlp-api-key";
    private const int ExportTimeoutMs = 3000;

    private readonly IDisposable? _resource;

    private Telemetry(IDisposable? resource) => _resource = resource;

    public static Telemetry Start(bool traceRequested)
    {
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        var configured = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        // An endpoint from the environment comes with its headers from there (OTEL_EXPORTER_OTLP_HEADERS, read by the exporter).
        var appHost = string.IsNullOrWhiteSpace(configured) && traceRequested ? AppHostReceiver() : null;
        var endpoint = !string.IsNullOrWhiteSpace(configured) ? configured : appHost?.Otlp;
        if (endpoint is not null)
        {
            var provider = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? DefaultServiceName))
                .SetSampler(new ParentBasedSampler(new OperationRootsOnly()))
                .AddSource(DfsClient.ActivitySourceName)
                .AddSource("Grpc.Net.Client")
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = new Uri(endpoint);
                    otlp.Protocol = OtlpExportProtocol.Grpc;
                    otlp.TimeoutMilliseconds = ExportTimeoutMs;
                    if (appHost?.OtlpApiKey is { } key)
                    {
                        otlp.Headers = $"{OtlpApiKeyHeader}={key}";
                    }
                })
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

    /// <summary>The "otlp" receiver of the cluster file and its key, when the AppHost that wrote it still runs; null otherwise.</summary>
    private static ClusterTelemetry? AppHostReceiver()
    {
        try
        {
            var cluster = ClusterTelemetry.Read(ClusterTelemetry.ClusterFilePath);
            return cluster?.Otlp is { } otlp && Uri.TryCreate(otlp, UriKind.Absolute, out _) && cluster.AppHostRuns() ? cluster : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // tracing is best effort: the command itself must not fail for it
        }
    }

    public void Dispose() => _resource?.Dispose();

    /// <summary>A trace starts at a client operation (put /p, get /p), not at a lone RPC such as the stat before a put.</summary>
    private sealed class OperationRootsOnly : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Name is "System.Net.Http.HttpRequestOut" or "Grpc.Net.Client.GrpcOut" ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
    }
}
