using Microsoft.Extensions.Options;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// Removes rbw replicas that no pipeline recovery claimed within <see cref="DataNodeOptions.AbandonedReplicaTtlMs"/>
/// (those present at start are removed by <see cref="ReplicaStore.Load"/>).
/// </summary>
internal sealed class AbandonedReplicaSweeper(ReplicaStore store, IOptions<DataNodeOptions> options, ILogger<AbandonedReplicaSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ttl = TimeSpan.FromMilliseconds(options.Value.AbandonedReplicaTtlMs);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(ttl.TotalMilliseconds / 4, 1000, 600_000));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!store.IsLoaded)
            {
                continue;
            }
            try
            {
                var deleted = store.SweepAbandoned(ttl);
                if (deleted > 0)
                {
                    logger.LogInformation("Removed {Count} abandoned in-progress replica files older than {Ttl}", deleted, ttl);
                }
            }
            catch (IOException e)
            {
                logger.LogWarning("Sweeping abandoned replicas failed: {Reason}", e.Message);
            }
        }
    }
}
