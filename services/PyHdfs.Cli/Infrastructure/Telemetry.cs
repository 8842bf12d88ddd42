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
/// over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, or, with --trace, to the receiver of the running
/// AppHost named in the cluster file (so <c>pyhdfs trace ID</c> shows the client's spans too).
/// Otherwise --trace records spans in process only, so that a trace id exists and propagates to the
/// NameNode and DataNodes.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    public const string DefaultServiceName = "client";
    private const int ExportTimeoutMs = 3000;

    private readonly IDisposable? _resource;

    private Telemetry(IDisposable? resource) => _resource = resource;

    public static Telemetry Start(bool traceRequested)
    {
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        var configured = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var endpoint = !string.IsNullOrWhiteSpace(configured) ? configured : traceRequested ? AppHostReceiver() : null;
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

    /// <summary>The "otlp" receiver of the cluster file, when the AppHost that wrote it still runs; null otherwise.</summary>
    private static string? AppHostReceiver()
    {
        var file = Environment.GetEnvironmentVariable(NameNodeDiscovery.ClusterFileVariable) is { Length: > 0 } f ? f : NameNodeDiscovery.DefaultClusterFile;
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            return root.TryGetProperty("otlp", out var otlp) && otlp.ValueKind == JsonValueKind.String
                && Uri.TryCreate(otlp.GetString(), UriKind.Absolute, out var uri)
                && root.TryGetProperty("appHostPid", out var pid) && pid.TryGetInt32(out var appHostPid) && IsRunning(appHostPid)
                ? uri.ToString()
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // tracing is best effort: the command itself must not fail for it
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
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
