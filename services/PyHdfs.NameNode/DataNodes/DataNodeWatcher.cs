using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.NameNode.DataNodes;

/// <summary>
/// Follows Registry.WatchDataNodes: a snapshot (authoritative: whoever is not in it is dead), then
/// added/updated/removed events. When the stream breaks it reconnects with backoff; until then the
/// last known live set stands.
/// </summary>
internal sealed class DataNodeWatcher(Registry.RegistryClient registry, DataNodeManager dataNodes, IOptions<NameNodeOptions> options,
    [FromKeyedServices(Reachability.Registry)] Reachability reachability, ILogger<DataNodeWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(options.Value.RetryInitialBackoffMs);
        var connected = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var call = registry.WatchDataNodes(new WatchDataNodesRequest(), cancellationToken: stoppingToken);
                await foreach (var change in call.ResponseStream.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (!connected || change.Kind == DataNodeEvent.Types.Kind.Snapshot)
                    {
                        backoff = TimeSpan.FromMilliseconds(options.Value.RetryInitialBackoffMs);
                    }
                    if (!connected)
                    {
                        logger.LogInformation("Watching the registry's DataNodes again");
                        connected = true;
                    }
                    reachability.Reached();
                    Apply(change);
                }
                throw new RpcException(new Status(StatusCode.Unavailable, "the registry closed the watch stream"));
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var reason = e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message;
                reachability.Failed(reason);
                if (connected)
                {
                    logger.LogWarning("The registry's DataNode watch is down ({Error}); reconnecting with backoff; liveness comes from the DataNodes' heartbeats meanwhile",
                        reason);
                    connected = false;
                }
            }
            try
            {
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.Value.RetryMaxBackoffMs));
        }
    }

    private void Apply(DataNodeEvent change)
    {
        switch (change.Kind)
        {
            case DataNodeEvent.Types.Kind.Snapshot:
                dataNodes.ApplySnapshot(change.Nodes);
                logger.LogInformation("Registry snapshot: {Count} live DataNodes", change.Nodes.Count);
                break;
            case DataNodeEvent.Types.Kind.Added:
            case DataNodeEvent.Types.Kind.Updated:
                foreach (var node in change.Nodes)
                {
                    dataNodes.OnAddedOrUpdated(node);
                    if (change.Kind == DataNodeEvent.Types.Kind.Added)
                    {
                        logger.LogInformation("DataNode {Id} is live ({Host}:{Port})", node.Address?.Id, node.Address?.Host, node.Address?.DataPort);
                    }
                }
                break;
            case DataNodeEvent.Types.Kind.Removed:
                foreach (var node in change.Nodes)
                {
                    dataNodes.OnRemoved(node);
                    if (!dataNodes.IsLive(node.Address?.Id ?? ""))
                    {
                        logger.LogWarning("DataNode {Id} is dead (registry)", node.Address?.Id);
                    }
                }
                break;
        }
    }
}
