using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// Asks the registry who leads every few seconds, so <see cref="RegistryReachability"/> is right
/// in every role: the watch stream alone stays open while the registry's Redis is down.
/// </summary>
internal sealed class RegistryProbe(Registry.RegistryClient registry, [FromKeyedServices(Reachability.Registry)] Reachability reachability, IOptions<NameNodeOptions> options)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.LeaderLeaseMs, 500, 5000));
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    await registry.GetLeaderAsync(new GetLeaderRequest(), deadline: DateTime.UtcNow + interval, cancellationToken: stoppingToken).ConfigureAwait(false);
                    reachability.Reached();
                }
                catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
                {
                    reachability.Failed($"{e.StatusCode}: {e.Status.Detail}");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
