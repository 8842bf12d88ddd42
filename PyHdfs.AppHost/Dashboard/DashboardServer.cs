using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PyHdfs.AppHost.Hosting;
using PyHdfs.AppHost.Telemetry;

namespace PyHdfs.AppHost.Dashboard;

/// <summary>
/// Kestrel inside the AppHost process, as Aspire's dashboard: an HTTP/2-only (h2c) port for the
/// OTLP/gRPC receiver, and an HTTP/1.1 port for the dashboard page and its JSON API. Both on
/// loopback, both on ports the OS hands out.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly ResourceHealthMonitor _monitor;

    private DashboardServer(WebApplication web, ResourceHealthMonitor monitor, string otlpEndpoint, string url)
    {
        _web = web;
        _monitor = monitor;
        OtlpEndpoint = otlpEndpoint;
        Url = url;
    }

    /// <summary>Where services export OTLP/gRPC (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public string OtlpEndpoint { get; }

    /// <summary>The dashboard page.</summary>
    public string Url { get; }

    public TraceStore Traces => _web.Services.GetRequiredService<TraceStore>();

    public TelemetryLogStore TelemetryLogs => _web.Services.GetRequiredService<TelemetryLogStore>();

    internal static async Task<DashboardServer> StartAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        ListenOptions? otlp = null;
        ListenOptions? page = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http2; otlp = listen; });
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http1; page = listen; });
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new TraceStore());
        builder.Services.AddSingleton(new TelemetryLogStore());
        builder.Services.AddSingleton(app);
        builder.Services.AddSingleton<ClusterView>();

        var web = builder.Build();
        web.MapGrpcService<OtlpTraceReceiver>();
        web.MapGrpcService<OtlpLogsReceiver>();
        web.MapGrpcService<OtlpMetricsReceiver>();
        DashboardApi.Map(web);
        await web.StartAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel writes the port it bound into the ListenOptions' endpoint.
        var otlpEndpoint = ChildEnvironment.ProjectAddress(otlp!.IPEndPoint!.Port);
        var url = ChildEnvironment.ProjectAddress(page!.IPEndPoint!.Port) + "/";
        var monitor = new ResourceHealthMonitor(app);
        return new DashboardServer(web, monitor, otlpEndpoint, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _monitor.DisposeAsync().ConfigureAwait(false);
        await _web.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }
}
