using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Startup;

namespace PyHdfs.NameNode.Replication;

/// <summary>
/// Runs a <see cref="ReplicationScheduler"/> round every NameNode:ReplicationCheckIntervalMs while
/// active and out of safe mode (until then replica counts are incomplete: copies or deletions
/// judged on them would be wrong).
/// </summary>
internal sealed class ReplicationMonitor(ReplicationScheduler scheduler, NameNodeState state, SafeMode safeMode, IOptions<NameNodeOptions> options,
    ILogger<ReplicationMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ReplicationCheckIntervalMs));
        var lastNeeded = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!state.IsActive || safeMode.IsOn)
                {
                    continue;
                }
                try
                {
                    var round = scheduler.RunOnce();
                    if (round.StillNeeded != lastNeeded && round.StillNeeded == 0)
                    {
                        logger.LogInformation("Every block is back at its replication factor");
                    }
                    lastNeeded = round.StillNeeded;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Replication monitor round failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
