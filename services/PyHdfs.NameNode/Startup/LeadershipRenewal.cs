using Microsoft.Extensions.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Registry;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// Keeps an active NameNode's term alive (docs/ha.md, "When Redis is down"). Every lease/3 it
/// renews the registry lease; while the registry is unreachable it asks the metadata service
/// instead whether any higher epoch was promised. The term ends only when the registry names
/// another leader, the metadata service has promised a higher epoch, or neither of them answered
/// for a whole lease (also what a process paused that long sees when it resumes).
/// </summary>
internal sealed partial class LeadershipRenewal(
    NameNodeOptions options,
    Registry.RegistryClient registry,
    MetadataClient metadata,
    Reachability reachability,
    TermSignal term,
    ILogger logger)
{
    public async Task RunAsync(string address, long epoch, CancellationToken cancellationToken)
    {
        var request = new CampaignRequest { CandidateId = options.Id, Address = address, LeaseMs = options.LeaderLeaseMs, Epoch = epoch };
        var lease = TimeSpan.FromMilliseconds(options.LeaderLeaseMs);
        var interval = TimeSpan.FromMilliseconds(Math.Max(50, options.LeaderLeaseMs / 3));
        var lastConfirmed = DateTime.UtcNow;
        var confirmedByJournal = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                var sent = DateTime.UtcNow;
                if (await RenewAsync(request, interval, cancellationToken).ConfigureAwait(false) is { } renewed)
                {
                    if (!renewed.IsLeader || renewed.Epoch != epoch)
                    {
                        term.Lose(string.IsNullOrEmpty(renewed.LeaderId)
                            ? $"the leadership lapsed and a higher epoch than ours ({epoch}) was handed out meanwhile"
                            : $"leadership lost: the registry says {renewed.LeaderId} leads with epoch {renewed.Epoch} (ours was {epoch})");
                        return;
                    }
                    lastConfirmed = sent;
                    confirmedByJournal = false;
                    continue;
                }
                if (await PromisedEpochAsync(interval, cancellationToken).ConfigureAwait(false) is { } promised)
                {
                    if (promised > epoch)
                    {
                        term.Lose($"fenced: the metadata service has promised epoch {promised} (ours was {epoch})");
                        return;
                    }
                    if (!confirmedByJournal)
                    {
                        LogKeepingRole(logger, options.Id, epoch);
                        confirmedByJournal = true;
                    }
                    lastConfirmed = sent;
                }
                else if (DateTime.UtcNow - lastConfirmed >= lease)
                {
                    term.Lose($"neither the registry nor the metadata service confirmed epoch {epoch} for {(DateTime.UtcNow - lastConfirmed).TotalMilliseconds:0} ms (lease {options.LeaderLeaseMs} ms)");
                    return;
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The registry's answer, or null when it is unreachable (or its Redis is).</summary>
    private async Task<LeadershipResponse?> RenewAsync(CampaignRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var response = await registry.RenewLeadershipAsync(request, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            reachability.Reached();
            return response;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            reachability.Failed($"{e.StatusCode}: {e.Status.Detail}");
            return null;
        }
    }

    private async Task<long?> PromisedEpochAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var status = await metadata.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return status.PromisedEpoch;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "NameNode {Id} stays active without the registry: the metadata service still accepts epoch {Epoch}, and no other NameNode can be elected while the registry is down")]
    private static partial void LogKeepingRole(ILogger logger, string id, long epoch);
}
