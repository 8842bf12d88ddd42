using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.DataNode.Control;

/// <summary>
/// Talks to every configured NameNode (services:namenode:grpc:N, active and standby alike):
/// RegisterDataNode + full BlockReport, then SendHeartbeat every interval (obeying its commands),
/// a full BlockReport every block-report interval the NameNode asked for, and
/// BlockReceivedAndDeleted as soon as replicas are finalized or deleted. A NameNode that is
/// down is retried with backoff; a heartbeat answered with reregister starts over. Commands are
/// obeyed only from a NameNode that says it is active with the highest epoch seen so far: a
/// fenced former active that has not noticed yet cannot make it delete anything.
/// </summary>
internal sealed class NameNodeService(
    ServiceEndpoints serviceEndpoints,
    ClusterMembership membership,
    TransportSecurity transport,
    DataNodeStatus status,
    ReplicaStore store,
    BlockReportHub reports,
    CommandExecutor commands,
    IHostApplicationLifetime lifetime,
    IOptions<DataNodeOptions> options,
    ILogger<NameNodeService> logger) : BackgroundService
{
    private long _highestActiveEpoch;

    /// <summary>Whether to obey the commands of a heartbeat reply.</summary>
    internal static bool ShouldObey(DataNodeHeartbeatResponse response, ref long highestActiveEpoch)
    {
        if (!response.Active)
        {
            return false;
        }
        var highest = Interlocked.Read(ref highestActiveEpoch);
        while (response.Epoch > highest)
        {
            var seen = Interlocked.CompareExchange(ref highestActiveEpoch, response.Epoch, highest);
            if (seen == highest)
            {
                return true;
            }
            highest = seen;
        }
        return response.Epoch >= highest;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<Uri> addresses;
        try
        {
            addresses = serviceEndpoints.Resolve("namenode");
        }
        catch (UriFormatException e)
        {
            logger.LogError("Invalid NameNode address (services__namenode__grpc__N): {Reason}", e.Message);
            return;
        }
        if (addresses.Count == 0)
        {
            logger.LogWarning("No NameNode configured (services__namenode__grpc__0): blocks will not be reported");
            return;
        }
        // Subscribe before anything is written, so no finalized replica is missed.
        var queues = addresses.Select(_ => reports.Subscribe()).ToList();
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        await Task.WhenAll(addresses.Select((address, i) => RunAsync(address, queues[i], stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(Uri address, ReportQueue queue, CancellationToken stoppingToken)
    {
        var opts = options.Value;
        using var channel = GrpcChannels.Create(address, membership, transport);
        var client = new DataNodeProtocol.DataNodeProtocolClient(channel);
        var state = new PeerConnectionState($"NameNode {address}", logger, opts.MaxRetryBackoffMs);
        var interval = TimeSpan.FromMilliseconds(opts.HeartbeatIntervalMs);
        var registered = false;
        var nextHeartbeat = DateTime.UtcNow;
        var reportInterval = Timeout.InfiniteTimeSpan;
        var nextFullReport = DateTime.MaxValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    var response = await client.RegisterDataNodeAsync(new RegisterDataNodeRequest { Node = status.Snapshot() },
                        deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
                    if (response.HeartbeatIntervalMs > 0)
                    {
                        interval = TimeSpan.FromMilliseconds(response.HeartbeatIntervalMs);
                    }
                    reportInterval = response.BlockReportIntervalMs > 0 ? TimeSpan.FromMilliseconds(response.BlockReportIntervalMs) : Timeout.InfiniteTimeSpan;
                    var count = await SendFullReportAsync().ConfigureAwait(false);
                    registered = true;
                    nextHeartbeat = DateTime.UtcNow.Add(interval);
                    state.Up($"registered {status.Id} and reported {count} blocks");
                    logger.LogInformation("Registered with NameNode {Address} ({Namenode}); full block report of {Count} blocks sent",
                        address, response.NamenodeId, count);
                }
                else if (DateTime.UtcNow >= nextFullReport)
                {
                    var count = await SendFullReportAsync().ConfigureAwait(false);
                    logger.LogDebug("Periodic full block report of {Count} blocks sent to {Address}", count, address);
                }

                var (received, deleted) = queue.Take();
                if (received.Count + deleted.Count > 0)
                {
                    var incremental = new BlockReceivedAndDeletedRequest { DatanodeId = status.Id };
                    incremental.Received.AddRange(received);
                    incremental.Deleted.AddRange(deleted);
                    try
                    {
                        await client.BlockReceivedAndDeletedAsync(incremental, deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        queue.Requeue(received, deleted);
                        throw;
                    }
                }

                if (DateTime.UtcNow >= nextHeartbeat)
                {
                    var response = await client.SendHeartbeatAsync(new DataNodeHeartbeatRequest { Node = status.Snapshot() },
                        deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
                    nextHeartbeat = DateTime.UtcNow.Add(interval);
                    if (response.Reregister)
                    {
                        logger.LogWarning("NameNode {Address} does not know DataNode {Id}: registering again", address, status.Id);
                        registered = false;
                        continue;
                    }
                    if (ShouldObey(response, ref _highestActiveEpoch))
                    {
                        foreach (var command in response.Commands)
                        {
                            commands.Execute(command);
                        }
                    }
                    else if (response.Commands.Count > 0)
                    {
                        logger.LogWarning("Ignored {Count} commands from NameNode {Address}: not the active one with the highest epoch (epoch {Epoch}, active {Active})",
                            response.Commands.Count, address, response.Epoch, response.Active);
                    }
                }
                state.Up("heartbeats accepted");
                var untilHeartbeat = (nextHeartbeat < nextFullReport ? nextHeartbeat : nextFullReport) - DateTime.UtcNow;
                if (untilHeartbeat > TimeSpan.Zero)
                {
                    await queue.WaitAsync(untilHeartbeat, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or InvalidOperationException)
            {
                var wait = state.Down(e);
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

        DateTime Deadline() => DateTime.UtcNow.AddMilliseconds(opts.RpcTimeoutMs);

        // The full report supersedes every queued incremental one; the NameNode deletes what it does not know.
        async Task<int> SendFullReportAsync()
        {
            queue.Clear();
            var report = new BlockReportRequest { DatanodeId = status.Id };
            report.Blocks.AddRange(store.Snapshot().Select(ReplicaStore.ToBlockRef));
            await client.BlockReportAsync(report, deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
            nextFullReport = reportInterval == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow.Add(reportInterval);
            return report.Blocks.Count;
        }
    }
}
