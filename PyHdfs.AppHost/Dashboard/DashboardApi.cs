using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PyHdfs.AppHost.Hosting;
using PyHdfs.AppHost.Telemetry;

namespace PyHdfs.AppHost.Dashboard;

/// <summary>The dashboard page and its JSON API under /api.</summary>
internal static class DashboardApi
{
    private const int MaxTraces = 200;

    public static void Map(IEndpointRouteBuilder web)
    {
        web.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        web.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        web.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));

        var api = web.MapGroup("/api");
        api.MapGet("/resources", (DistributedApplication app) => app.Resources.Select(ResourceView.Of));
        api.MapGet("/resources/{name}/logs", (DistributedApplication app, string name, long? after) =>
        {
            if (Lookup(app, name) is not { } runtime)
            {
                return NotFound(name);
            }
            var (lines, next) = runtime.Logs.Since(after ?? 0);
            return Results.Json(new { next, lines });
        });
        api.MapPost("/resources/{name}/{operation}", async (DistributedApplication app, string name, string operation, CancellationToken cancellationToken) =>
        {
            Func<Task>? run = operation switch
            {
                "start" => () => app.StartAsync(name, cancellationToken),
                "stop" => () => app.StopAsync(name),
                "restart" => () => app.RestartAsync(name, cancellationToken),
                "kill" => () => app.KillAsync(name),
                _ => null,
            };
            if (run is null)
            {
                return Results.Json(new { error = $"unknown operation '{operation}' (start, stop, restart, kill)" }, statusCode: 400);
            }
            if (Lookup(app, name) is not { } runtime)
            {
                return NotFound(name);
            }
            try
            {
                await run().ConfigureAwait(false);
                return Results.Json(ResourceView.Of(runtime));
            }
            catch (Exception e) when (e is InvalidOperationException or ResourceStartException)
            {
                return Results.Json(new { error = e.Message }, statusCode: 409);
            }
        });

        api.MapGet("/traces", (TraceStore traces, int? limit) => traces.Recent(Math.Clamp(limit ?? 50, 1, MaxTraces)));
        api.MapGet("/traces/{traceId}", (TraceStore traces, string traceId) =>
            traces.Get(traceId) is { } spans
                ? Results.Json(new { summary = TraceStore.Summarize(spans), spans })
                : Results.Json(new { error = $"no trace {traceId} in the AppHost (it keeps the last {traces.MaxTraces} traces)" }, statusCode: 404));
        api.MapGet("/telemetry-logs", (TelemetryLogStore logs, string? traceId) => logs.Recent(200, traceId));
        api.MapGet("/cluster", (ClusterView cluster, CancellationToken cancellationToken) => cluster.ReadAsync(cancellationToken));
    }

    private static ResourceRuntime? Lookup(DistributedApplication app, string name) =>
        app.Resources.FirstOrDefault(r => r.Name == name);

    private static IResult NotFound(string name) => Results.Json(new { error = $"no resource named '{name}'" }, statusCode: 404);

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
