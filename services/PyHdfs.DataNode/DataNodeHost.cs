using Microsoft.Extensions.Diagnostics.HealthChecks;
using PyHdfs.DataNode.Control;
using PyHdfs.DataNode.Security;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Transfer;
using PyHdfs.DataNode.WebHdfs;

namespace PyHdfs.DataNode;

/// <summary>Builds the DataNode process: block-transfer server, storage, registry and NameNode loops, /health, WebHDFS's data side.</summary>
public static class DataNodeHost
{
    public static WebApplication Build(string[] args)
    {
        // Content root = the binaries, not the working directory (the data directory): the default
        // appsettings reload watches the content root recursively, and every block or WAL write there
        // cost each service inotify work (measured: 7-9% of a DataNode's CPU during a put).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.UseCleartextHttp2();
        builder.AddDataNodeWebHdfs();

        builder.Services.AddOptions<DataNodeOptions>()
            .Bind(builder.Configuration.GetSection(DataNodeOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "DataNode:DataDir is required")
            .Validate(o => o.DataPort is >= 0 and <= 65535, "DataNode:DataPort must be 0..65535")
            .Validate(o => o.HeartbeatIntervalMs > 0, "DataNode:HeartbeatIntervalMs must be positive")
            .Validate(o => o.MaxTransferConnections > 0, "DataNode:MaxTransferConnections must be positive")
            .Validate(o => o.TransferIdleTimeoutMs > 0, "DataNode:TransferIdleTimeoutMs must be positive")
            .Validate(o => o.AbandonedReplicaTtlMs > 0, "DataNode:AbandonedReplicaTtlMs must be positive")
            .ValidateOnStart();

        builder.Services.AddSingleton<DataNodeIdentity>();
        builder.Services.AddSingleton<ReplicaStore>();
        builder.Services.AddSingleton<BlockReportHub>();
        builder.Services.AddSingleton<BlockAccessGuard>();
        builder.Services.AddSingleton<BlockWriteHandler>();
        builder.Services.AddSingleton<BlockReadHandler>();
        builder.Services.AddSingleton<HadoopReadBlockHandler>();
        builder.Services.AddSingleton<HadoopWriteBlockHandler>();
        builder.Services.AddSingleton<ReplicationSender>();
        builder.Services.AddSingleton<CommandExecutor>();
        builder.Services.AddSingleton<DataNodeStatus>();
        builder.Services.AddSingleton<TransferServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TransferServer>());
        builder.Services.AddHostedService<RegistryHeartbeatService>();
        builder.Services.AddHostedService<NameNodeService>();
        builder.Services.AddSingleton<BadReplicaReporter>();
        builder.Services.AddHostedService<BlockScanner>();
        builder.Services.AddHostedService<AbandonedReplicaSweeper>();
        builder.Services.AddHealthChecks().AddCheck<DataNodeHealthCheck>("datanode");
        builder.Services.AddReachability(Reachability.Registry);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapDataNodeWebHdfs();
        return app;
    }
}

/// <summary>Ready once the storage is loaded and the block-transfer port listens; registration happens in the background.</summary>
internal sealed class DataNodeHealthCheck(ReplicaStore store, TransferServer transfer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.IsLoaded && transfer.IsListening
            ? HealthCheckResult.Healthy($"{store.BlockCount} replicas; block transfer on port {transfer.Port}")
            : HealthCheckResult.Unhealthy(store.IsLoaded ? "block-transfer port not listening" : "storage not loaded"));
}
