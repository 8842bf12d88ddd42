using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Namespace;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Registry;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// The HA controller (docs/ha.md). Each term: load the image and become standby (tail the
/// journal, take block reports) while campaigning in the registry; on winning, stop tailing,
/// promise the new epoch to the metadata service, catch the journal up to its end, rebuild
/// leases and become active (in safe mode until enough blocks are reported); renew the
/// leadership every lease/3. When the lease is lost or the journal is fenced, step down: in-flight
/// mutations fail (never acknowledged), the namespace is reloaded, and the next term begins.
/// </summary>
internal sealed class NameNodeStartup(
    IOptions<NameNodeOptions> options,
    NameNodeState state,
    Registry.RegistryClient registry,
    MetadataClient metadata,
    JournalWriter journal,
    JournalTailer tailer,
    FsNamespace fs,
    DataNodeManager dataNodes,
    SafeMode safeMode,
    TermSignal term,
    FatalStop fatal,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<NameNodeStartup> logger) : BackgroundService
{
    private readonly NameNodeOptions _options = options.Value;
    private volatile string? _leadingAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var address = await OwnAddressAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunTermAsync(address, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            fatal.Stop($"the HA controller failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task RunTermAsync(string address, CancellationToken stoppingToken)
    {
        state.SetStartupStep("loading the namespace");
        var header = await RetryLoop.RunAsync("metadata LoadNamespace", LoadAsync, _options, logger, stoppingToken).ConfigureAwait(false);
        state.SetLastAppliedTxid(header.LastTxid);
        // The reload emptied the block map: DataNodes already registered report everything again.
        dataNodes.ForgetCommandsAndRequestReports();
        state.BecomeStandby("standby");
        logger.LogInformation("NameNode {Id} is standby at txid {Txid}: tailing the journal and campaigning", _options.Id, header.LastTxid);

        LeadershipResponse leadership;
        using (var tailing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            var tail = tailer.FollowAsync(tailing.Token);
            try
            {
                leadership = await CampaignUntilLeaderAsync(address, tail, stoppingToken).ConfigureAwait(false);
            }
            catch (JournalGapException e)
            {
                logger.LogWarning("Standby {Id}: {Reason}; reloading the namespace", _options.Id, e.Message);
                return;
            }
            finally
            {
                await tailing.CancelAsync().ConfigureAwait(false);
                try
                {
                    await tail.ConfigureAwait(false);
                }
                catch (Exception) when (tailing.IsCancellationRequested)
                {
                }
                catch (JournalGapException)
                {
                }
            }
        }

        var epoch = leadership.Epoch;
        _leadingAt = address;
        term.Begin();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _ = Task.Run(() => RenewLeadershipAsync(address, epoch, renewing.Token), renewing.Token);
        try
        {
            if (await BecomeActiveAsync(address, epoch, stoppingToken).ConfigureAwait(false) is { } refused)
            {
                // Hand the leadership back (the next campaign takes a new epoch) and do not spin.
                StepDown(refused);
                await ResignAsync(address, stoppingToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryMaxBackoffMs), stoppingToken).ConfigureAwait(false);
                return;
            }
            StepDown(await term.Lost.WaitAsync(stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Null once active; else why it cannot become active (and steps down).</summary>
    private async Task<string?> BecomeActiveAsync(string address, long epoch, CancellationToken stoppingToken)
    {
        logger.LogInformation("NameNode {Id} won leadership with epoch {Epoch} at {Address}", _options.Id, epoch, address);
        state.SetStartupStep($"promising epoch {epoch} to the metadata service");
        NewEpochResponse promised;
        try
        {
            promised = await RetryLoop.RunAsync("metadata NewEpoch",
                async ct => await metadata.NewEpochAsync(new NewEpochRequest { Epoch = epoch, WriterId = _options.Id }, cancellationToken: ct),
                _options, logger, stoppingToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (DfsErrors.KindOf(e) == ErrorKind.Fenced || e.StatusCode == StatusCode.FailedPrecondition)
        {
            return $"the metadata service refused epoch {epoch}: {e.Status.Detail}";
        }

        // The old writer can append nothing after NewEpoch: the journal's end is final for this term.
        state.SetStartupStep("catching up with the journal");
        try
        {
            await tailer.CatchUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (JournalGapException e)
        {
            logger.LogWarning("NameNode {Id}: {Reason}; loading the image instead", _options.Id, e.Message);
            var header = await RetryLoop.RunAsync("metadata LoadNamespace", LoadAsync, _options, logger, stoppingToken).ConfigureAwait(false);
            state.SetLastAppliedTxid(header.LastTxid);
        }
        if (state.LastAppliedTxid < promised.LastTxid)
        {
            return $"caught up to txid {state.LastAppliedTxid} only, the journal ends at {promised.LastTxid}";
        }

        journal.Start(epoch, state.LastAppliedTxid);
        fs.RenewAllLeases();
        dataNodes.ForgetCommandsAndRequestReports();
        safeMode.Enter();
        state.BecomeActive(epoch, address);
        var (files, directories, blocks) = fs.Counts();
        var (total, reported) = fs.CountReportedBlocks();
        logger.LogInformation("NameNode {Id} is active: epoch {Epoch}, last txid {Txid}, {Files} files, {Directories} directories, {Blocks} blocks ({Reported} of {Total} complete blocks reported)",
            _options.Id, epoch, state.LastAppliedTxid, files, directories, blocks, reported, total);
        return null;
    }

    /// <summary>Leaves Active: no call is served as active any more, and every un-acknowledged mutation fails.</summary>
    private void StepDown(string reason)
    {
        _leadingAt = null;
        state.StepDown($"stepping down: {reason}");
        journal.StopTerm(new DfsException(ErrorKind.StandbyNamenode,
            $"NameNode {_options.Id} stepped down ({reason}): the mutation was not acknowledged; retry on the active NameNode"));
        logger.LogWarning("NameNode {Id} steps down to standby: {Reason}", _options.Id, reason);
    }

    /// <summary>A clean stop hands leadership back at once instead of making a successor wait for the lease to run out.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        state.BeginStopping();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_leadingAt is { } address)
        {
            await ResignAsync(address, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ResignAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            await registry.ResignAsync(new CampaignRequest { CandidateId = _options.Id, Address = address, LeaseMs = _options.LeaderLeaseMs },
                deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            logger.LogWarning("Could not resign leadership ({Status}); it expires with its lease", e.StatusCode);
        }
    }

    private async Task<ImageHeader> LoadAsync(CancellationToken cancellationToken)
    {
        using var call = metadata.LoadNamespace(new LoadNamespaceRequest(), cancellationToken: cancellationToken);
        ImageHeader? header = null;
        var inodes = new List<InodeRecord>();
        var blocks = new List<BlockRecord>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            header ??= chunk.Header;
            inodes.AddRange(chunk.Inodes);
            blocks.AddRange(chunk.Blocks);
        }
        header ??= new ImageHeader();
        fs.LoadImage(header, inodes, blocks);
        return header;
    }

    /// <summary>Campaigns until leader; a failed tail (a gap in the journal) ends the campaign so the term restarts with a reload.</summary>
    private async Task<LeadershipResponse> CampaignUntilLeaderAsync(string address, Task tail, CancellationToken stoppingToken)
    {
        var request = new CampaignRequest { CandidateId = _options.Id, Address = address, LeaseMs = _options.LeaderLeaseMs };
        string? lastLeader = null;
        while (true)
        {
            if (tail.IsFaulted)
            {
                await tail.ConfigureAwait(false);
            }
            var response = await RetryLoop.RunAsync("registry Campaign",
                async ct => await registry.CampaignAsync(request, cancellationToken: ct), _options, logger, stoppingToken).ConfigureAwait(false);
            if (response.IsLeader)
            {
                return response;
            }
            if (response.LeaderId != lastLeader)
            {
                logger.LogInformation("NameNode {Id} stays standby: {Leader} at {Address} leads (epoch {Epoch}, lease {Remaining} ms left)",
                    _options.Id, response.LeaderId, response.LeaderAddress, response.Epoch, response.LeaseRemainingMs);
                lastLeader = response.LeaderId;
            }
            // Campaign again soon after the lease could have run out: that is the failover time.
            var wait = Math.Clamp(response.LeaseRemainingMs + 50, 100, Math.Max(100, _options.LeaderLeaseMs / 3));
            await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(wait), stoppingToken), tail).ConfigureAwait(false);
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Renews every lease/3. Ends the term when the registry names another leader, or when no
    /// renewal succeeded for a whole lease (also after this process was paused that long).
    /// </summary>
    private async Task RenewLeadershipAsync(string address, long epoch, CancellationToken cancellationToken)
    {
        var request = new CampaignRequest { CandidateId = _options.Id, Address = address, LeaseMs = _options.LeaderLeaseMs };
        var lease = TimeSpan.FromMilliseconds(_options.LeaderLeaseMs);
        var interval = TimeSpan.FromMilliseconds(Math.Max(50, _options.LeaderLeaseMs / 3));
        var lastRenewal = DateTime.UtcNow;
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                if (DateTime.UtcNow - lastRenewal >= lease)
                {
                    term.Lose($"no leadership renewal for {(DateTime.UtcNow - lastRenewal).TotalMilliseconds:0} ms (lease {_options.LeaderLeaseMs} ms): another NameNode may lead");
                    return;
                }
                var sent = DateTime.UtcNow;
                var response = await registry.RenewLeadershipAsync(request,
                    deadline: DateTime.UtcNow + interval, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!response.IsLeader || response.Epoch != epoch)
                {
                    term.Lose($"leadership lost: the registry says {response.LeaderId} leads with epoch {response.Epoch} (ours was {epoch})");
                    return;
                }
                lastRenewal = sent;
                if (failing)
                {
                    logger.LogInformation("Leadership renewal works again");
                    failing = false;
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                if (!failing)
                {
                    logger.LogWarning("Leadership renewal failed ({Status}: {Detail}); retrying until the lease runs out", e.StatusCode, e.Status.Detail);
                    failing = true;
                }
            }
        }
    }

    private async Task<string> OwnAddressAsync(CancellationToken stoppingToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.AdvertisedAddress))
        {
            return _options.AdvertisedAddress;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
        return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }
}
