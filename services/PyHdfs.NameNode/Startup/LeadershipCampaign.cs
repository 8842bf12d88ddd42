using Microsoft.Extensions.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Registry;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// A standby's campaign in the registry (HA only). Each campaign carries the metadata service's
/// promised epoch as a floor, so a Redis that lost its epoch counter still hands out a higher one.
/// While the registry is unreachable nobody can be elected: the standby keeps tailing and tells
/// clients why it cannot take over. When the registry is back it first waits a lease for the active
/// to take its lapsed lease back, so an outage alone never causes a failover.
/// </summary>
internal sealed class LeadershipCampaign(
    NameNodeOptions options,
    Registry.RegistryClient registry,
    MetadataClient metadata,
    Reachability reachability,
    NameNodeState state,
    ILogger logger)
{
    public async Task<LeadershipResponse> UntilLeaderAsync(string address, Task tail, CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromMilliseconds(options.LeaderLeaseMs);
        var request = new CampaignRequest { CandidateId = options.Id, Address = address, LeaseMs = options.LeaderLeaseMs };
        var backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
        string? lastLeader = null;
        var unreachable = false;
        DateTime? backSince = null;
        while (true)
        {
            if (tail.IsFaulted)
            {
                await tail.ConfigureAwait(false);
            }
            LeadershipResponse response;
            try
            {
                if (unreachable || (backSince is { } back && DateTime.UtcNow - back < lease))
                {
                    response = await registry.GetLeaderAsync(new GetLeaderRequest(), deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
                    if (unreachable)
                    {
                        unreachable = false;
                        backSince = DateTime.UtcNow;
                        Reached();
                    }
                    if (string.IsNullOrEmpty(response.LeaderId))
                    {
                        await WaitAsync(TimeSpan.FromMilliseconds(100), tail, stoppingToken).ConfigureAwait(false);
                        continue;
                    }
                    backSince = null;
                }
                else
                {
                    request.Epoch = await PromisedEpochAsync(stoppingToken).ConfigureAwait(false) ?? request.Epoch;
                    response = await registry.CampaignAsync(request, deadline: Deadline(), cancellationToken: stoppingToken).ConfigureAwait(false);
                    Reached();
                    if (response.IsLeader)
                    {
                        return response;
                    }
                }
                backoff = TimeSpan.FromMilliseconds(options.RetryInitialBackoffMs);
            }
            catch (RpcException e) when (RetryLoop.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                unreachable = true;
                reachability.Failed($"{e.StatusCode}: {e.Status.Detail}");
                state.SetStandbyReason($"standby; the registry is {reachability.Describe()}, so no NameNode can be elected until it is back");
                await WaitAsync(backoff, tail, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.RetryMaxBackoffMs));
                continue;
            }
            if (response.LeaderId != lastLeader)
            {
                logger.LogInformation("NameNode {Id} stays standby: {Leader} at {Address} leads (epoch {Epoch}, lease {Remaining} ms left)",
                    options.Id, response.LeaderId, response.LeaderAddress, response.Epoch, response.LeaseRemainingMs);
                lastLeader = response.LeaderId;
            }
            // Campaign again soon after the lease could have run out: that is the failover time.
            var wait = Math.Clamp(response.LeaseRemainingMs + 50, 100, Math.Max(100, options.LeaderLeaseMs / 3));
            await WaitAsync(TimeSpan.FromMilliseconds(wait), tail, stoppingToken).ConfigureAwait(false);
        }
    }

    private DateTime Deadline() => DateTime.UtcNow.AddMilliseconds(Math.Max(1000, options.LeaderLeaseMs));

    private void Reached()
    {
        reachability.Reached();
        state.SetStandbyReason("standby");
    }

    /// <summary>The highest epoch the metadata service has promised; null when it does not answer (the last floor stands).</summary>
    private async Task<long?> PromisedEpochAsync(CancellationToken cancellationToken)
    {
        try
        {
            var status = await metadata.GetStatusAsync(new GetStatusRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return status.PromisedEpoch;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task WaitAsync(TimeSpan wait, Task tail, CancellationToken cancellationToken)
    {
        await Task.WhenAny(Task.Delay(wait, cancellationToken), tail).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
