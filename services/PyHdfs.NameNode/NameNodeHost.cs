using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Leases;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Placement;
using PyHdfs.NameNode.Replication;
using PyHdfs.NameNode.Services;
using PyHdfs.NameNode.Startup;
using PyHdfs.NameNode.StatusPage;
using PyHdfs.NameNode.HadoopRpc;
using PyHdfs.NameNode.WebHdfs;
using PyHdfs.Protocol.WebHdfs;
using PyHdfs.ServiceDefaults.WebHdfs;
using PyHdfs.Protocol.Registry;
using PyHdfs.Protocol.Security;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode;

/// <summary>
/// The NameNode process: gRPC (ClientProtocol, DataNodeProtocol), /health, the status page and WebHDFS. On one
/// h2c port (ASPNETCORE_URLS / --urls) plus an HTTP/1.1 WebHDFS port (<see cref="WebHdfsOptions.Port"/>) and the Hadoop
/// RPC port (<c>HadoopRpc:Port</c>, 8020), or on the
/// Kestrel endpoints configured by name, each with its own protocols (the AppHost: "http" HTTP/1.1 for /health and
/// the page, "grpc" HTTP/2, "webhdfs" HTTP/1.1).
/// </summary>
public static class NameNodeHost
{
    public static WebApplication Build(string[] args)
    {
        // appsettings.json beside the binary applies whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.UseCleartextHttp2();
        builder.Logging.AddServiceDefaultsConsole();
        WebHdfsListener.AddStandaloneListeners(builder, WebHdfsListener.Standalone(WebHdfsOptions.DefaultPort), HadoopRpcListener.Standalone);

        var configuration = builder.Configuration;
        builder.Services.AddOptions<NameNodeOptions>()
            .Bind(configuration.GetSection(NameNodeOptions.SectionName))
            .PostConfigure(o => NameNodeOptions.ApplyAliases(o, configuration))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NameNodeOptions>, NameNodeOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NameNodeState>(sp => new NameNodeState(Options(sp)));
        builder.Services.AddSingleton<FatalStop>();
        builder.Services.AddReachability(Reachability.Registry);
        builder.Services.AddSingleton(sp => new Registry.RegistryClient(
            GrpcChannels.Create(sp.GetRequiredService<ServiceEndpoints>().RequireOne("zookeeper"), sp)));
        builder.Services.AddSingleton(sp => new MetadataClient(
            GrpcChannels.Create(sp.GetRequiredService<ServiceEndpoints>().RequireOne("metadata"), sp)));
        builder.Services.AddSingleton(sp => new JournalWriter(
            sp.GetRequiredService<MetadataClient>(), Options(sp), sp.GetRequiredService<ILogger<JournalWriter>>(),
            reason => sp.GetRequiredService<TermSignal>().Lose(reason)));
        builder.Services.AddSingleton<TermSignal>();
        builder.Services.AddSingleton(sp => new JournalTailer(sp.GetRequiredService<MetadataClient>(), sp.GetRequiredService<FsNamespace>(),
            sp.GetRequiredService<NameNodeState>(), Options(sp), sp.GetRequiredService<ILogger<JournalTailer>>()));
        builder.Services.AddSingleton(sp =>
        {
            var fs = sp.GetRequiredService<FsNamespace>();
            return new SafeMode(fs.CountReportedBlocks, Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SafeMode>>());
        });
        builder.Services.AddSingleton<IEditLog>(sp => sp.GetRequiredService<JournalWriter>());
        // No cluster secret: no issuer, empty tokens, and DataNodes without the secret do not check (the open dev mode).
        if (ClusterMembership.FromConfiguration(configuration).BlockTokenKey is { } blockTokenKey)
        {
            builder.Services.AddSingleton(sp => new BlockTokenIssuer(blockTokenKey,
                TimeSpan.FromMilliseconds(Options(sp).BlockTokenLifetimeMs), sp.GetRequiredService<TimeProvider>()));
        }
        builder.Services.AddSingleton(sp => new DataNodeManager(sp.GetRequiredService<TimeProvider>(), DataNodeLivenessPolicy.From(Options(sp))));
        builder.Services.AddSingleton(new BlockPlacementPolicy());
        builder.Services.AddSingleton(sp => new FsNamespace(Options(sp), sp.GetRequiredService<IEditLog>(),
            sp.GetRequiredService<DataNodeManager>(), sp.GetRequiredService<BlockPlacementPolicy>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FsNamespace>>()));

        builder.Services.AddSingleton<NameNodeReports>();
        builder.Services.AddStatusPage();
        builder.Services.AddOptions<WebHdfsOptions>().Bind(configuration.GetSection(WebHdfsOptions.SectionName));
        if (WebHdfsRedirectToken.FromClusterSecret(configuration[ClusterMembership.ConfigurationKey]) is { } redirectTokens)
        {
            builder.Services.AddSingleton(redirectTokens);
        }
        builder.Services.AddWebHdfs();
        builder.AddHadoopRpc();

        builder.Services.AddHostedService<NameNodeStartup>();
        builder.Services.AddHostedService<DataNodeWatcher>();
        builder.Services.AddHostedService<DataNodeLivenessMonitor>();
        builder.Services.AddHostedService<RegistryProbe>();
        builder.Services.AddHostedService<LeaseMonitor>();
        builder.Services.AddSingleton(sp => new ReplicationScheduler(sp.GetRequiredService<FsNamespace>(),
            sp.GetRequiredService<BlockPlacementPolicy>(), Options(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReplicationScheduler>>(), sp.GetService<BlockTokenIssuer>()));
        builder.Services.AddHostedService<ReplicationMonitor>();
        builder.Services.AddHealthChecks().AddCheck<NameNodeHealthCheck>("namenode");

        builder.Services.AddGrpc(o =>
        {
            // Explicit rather than the framework default: a full block report of ~800k replicas fits, and no
            // request can make the NameNode buffer more (larger ones fail with RESOURCE_EXHAUSTED).
            o.MaxReceiveMessageSize = MaxRequestBytes;
            // Only DataNodes must prove membership; ClientProtocol serves users.
            o.AddClusterMembership(PyHdfs.Protocol.NameNode.DataNodeProtocol.Descriptor.FullName);
            o.Interceptors.Add<DfsExceptionInterceptor>();
        });
        builder.Services.AddMalformedRequestStatus();

        var app = builder.Build();
        Telemetry.ObserveCluster(app.Services.GetRequiredService<FsNamespace>());
        app.MapGrpcService<ClientProtocolService>();
        app.MapGrpcService<DataNodeProtocolService>();
        app.MapDefaultEndpoints();
        app.MapStatusPage();
        app.MapWebHdfs();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            app.Services.GetRequiredService<NameNodeState>().BeginStopping();
            app.Services.GetRequiredService<JournalWriter>().Dispose();
        });
        return app;
    }

    /// <summary>The largest gRPC request the NameNode accepts.</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    private static NameNodeOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<NameNodeOptions>>().Value;

    private sealed class NameNodeOptionsValidator : IValidateOptions<NameNodeOptions>
    {
        public ValidateOptionsResult Validate(string? name, NameNodeOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
