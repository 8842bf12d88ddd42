using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;

namespace PyHdfs.NameNode.Leases;

/// <summary>Removes files whose writer has not renewed its lease within NameNode:LeaseHardLimitMs.</summary>
internal sealed class LeaseMonitor(FsNamespace fs, NameNodeState state, IOptions<NameNodeOptions> options, ILogger<LeaseMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!state.IsActive)
                {
                    continue;
                }
                try
                {
                    foreach (var path in await fs.ExpireLeasesAsync(stoppingToken).ConfigureAwait(false))
                    {
                        logger.LogWarning("Lease expired: ended the write of {Path} (a created file is removed, an append or truncate reverted), left by a writer silent for more than {Limit} ms",
                            path, options.Value.LeaseHardLimitMs);
                    }
                }
                catch (Protocol.Errors.DfsException e)
                {
                    logger.LogError("Lease monitor: {Message}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
