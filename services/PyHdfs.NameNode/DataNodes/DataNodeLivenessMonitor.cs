using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PyHdfs.NameNode.DataNodes;

/// <summary>Every heartbeat interval, declares dead the DataNodes whose heartbeats to this NameNode stopped.</summary>
internal sealed partial class DataNodeLivenessMonitor(DataNodeManager dataNodes, IOptions<NameNodeOptions> options,
    ILogger<DataNodeLivenessMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.DataNodeHeartbeatIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var (id, reason) in dataNodes.ExpireSilentNodes())
                {
                    LogDead(logger, id, reason);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DataNode {Id} is dead: {Reason}")]
    private static partial void LogDead(ILogger logger, string id, string reason);
}
