using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.DataNode.Control;

/// <summary>
/// Registers with the registry (services:zookeeper:grpc:0) once the host has started, then
/// heartbeats every interval. Survives the registry being down: retries with backoff, re-registers
/// (the NameNodes meanwhile judge liveness by this node's heartbeats to them; /health is degraded).
/// </summary>
internal sealed class RegistryHeartbeatService(
    ServiceEndpoints serviceEndpoints,
    ClusterMembership membership,
    TransportSecurity transport,
    DataNodeStatus status,
    IHostApplicationLifetime lifetime,
    IOptions<DataNodeOptions> options,
    [FromKeyedServices(Reachability.Registry)] Reachability reachability,
    ILogger<RegistryHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Uri? address;
        try
        {
            var resolved = serviceEndpoints.Resolve("zookeeper");
            address = resolved.Count > 0 ? resolved[0] : null;
        }
        catch (UriFormatException e)
        {
            logger.LogError("Invalid registry address (services__zookeeper__grpc__0): {Reason}", e.Message);
            return;
        }
        if (address is null)
        {
            logger.LogWarning("No registry configured (services__zookeeper__grpc__0): this DataNode will not announce itself");
            return;
        }
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        var opts = options.Value;
        using var channel = GrpcChannels.Create(address, membership, transport);
        var client = new Registry.RegistryClient(channel);
        var state = new PeerConnectionState($"registry {address}", logger, opts.MaxRetryBackoffMs);
        var interval = TimeSpan.FromMilliseconds(opts.HeartbeatIntervalMs);
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var deadline = DateTime.UtcNow.AddMilliseconds(opts.RpcTimeoutMs);
                if (!registered)
                {
                    var response = await client.RegisterAsync(new RegisterRequest { Node = status.Snapshot() }, deadline: deadline, cancellationToken: stoppingToken).ConfigureAwait(false);
                    if (response.HeartbeatIntervalMs > 0)
                    {
                        interval = TimeSpan.FromMilliseconds(response.HeartbeatIntervalMs);
                    }
                    registered = true;
                    reachability.Reached();
                    state.Up($"registered as {status.Id} (heartbeat every {interval.TotalMilliseconds:0} ms, TTL {response.TtlMs} ms)");
                }
                else
                {
                    var response = await client.HeartbeatAsync(new RegistryHeartbeatRequest { Node = status.Snapshot() }, deadline: deadline, cancellationToken: stoppingToken).ConfigureAwait(false);
                    if (!response.Known)
                    {
                        logger.LogWarning("Registry had declared DataNode {Id} dead (missed heartbeats); it is registered again", status.Id);
                    }
                    reachability.Reached();
                    state.Up("heartbeats accepted");
                }
                wait = interval;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is RpcException or HttpRequestException or IOException or InvalidOperationException)
            {
                registered = false;
                reachability.Failed(e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message);
                wait = state.Down(e);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

internal static class HostStarted
{
    /// <summary>Waits for ApplicationStarted (Kestrel's address is known then); false on shutdown.</summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = cancellationToken.Register(() => started.TrySetCanceled(cancellationToken));
        try
        {
            await started.Task.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
