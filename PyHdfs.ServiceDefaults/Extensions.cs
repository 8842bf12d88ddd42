using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every PyHDFS service shares, in the shape of the Aspire ServiceDefaults template:
/// OpenTelemetry, health checks, service discovery and resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Every PyHDFS ActivitySource and Meter starts with this prefix.</summary>
    public const string TelemetryPrefix = "PyHdfs.";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.AddSingleton(ClusterMembership.FromConfiguration(builder.Configuration));
        builder.AddTransportSecurity();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.Configure<Grpc.AspNetCore.Server.GrpcServiceOptions>(grpc => grpc.Interceptors.Add<RpcSpanNames>());
        builder.Services.AddSingleton<ServiceEndpoints>();
        return builder;
    }

    /// <summary>
    /// Reads <c>PyHdfs:Tls</c> now, so a bad file stops the start instead of failing a request later;
    /// when on, Kestrel serves its https:// addresses (ASPNETCORE_URLS) with the service's certificate.
    /// </summary>
    private static void AddTransportSecurity<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var transport = TransportSecurity.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(transport);
        if (transport.IsEnabled)
        {
            builder.Services.Configure<KestrelServerOptions>(kestrel =>
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = transport.Certificate));
        }
    }

    /// <summary>
    /// One HTTP/2-only port per service carries gRPC and /health: plaintext h2c (prior knowledge), or
    /// h2 over TLS when <c>PyHdfs:Tls</c> is on and the address is https://.
    /// Without TLS there is no ALPN, and Kestrel does not accept prior-knowledge HTTP/2 on an
    /// Http1AndHttp2 endpoint (checked with curl --http2-prior-knowledge), so the port is HTTP/2 only:
    /// probe it with <c>curl --http2-prior-knowledge http://host:port/health</c>.
    /// </summary>
    public static WebApplicationBuilder UseCleartextHttp2(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(options =>
            options.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .SetSampler(TraceSampling.Create())
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddSource(TraceSampling.GrpcClientSource)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath);
                    options.EnrichWithHttpResponse = (activity, _) =>
                    {
                        if (activity.GetTagItem(RpcSpanNames.OperationTag) is string name)
                        {
                            activity.DisplayName = name;
                        }
                    };
                })
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>Maps /health (every check: ready to serve) and /alive (the process answers).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportText.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }

    public static ILoggingBuilder AddServiceDefaultsConsole(this ILoggingBuilder logging) =>
        logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
}
