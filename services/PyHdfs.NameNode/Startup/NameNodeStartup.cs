using Microsoft.Extensions.DependencyInjection;
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
/// journal, take block reports) while campaigning in the registry (<see cref="LeadershipCampaign"/>);
/// on winning, stop tailing, promise the new epoch to the metadata service, catch the journal up
/// to its end, rebuild leases and become active (in safe mode until enough blocks are reported),
/// and keep the term alive (<see cref="LeadershipRenewal"/>). When the term is lost or the journal
/// is fenced, step down: in-flight mutations fail (never acknowledged), the namespace is reloaded,
/// and the next term begins. Without HighAvailability there is no campaign: the only NameNode
/// takes the next epoch from the metadata service, and Redis plays no part in its role.
/// </summary>
internal sealed class NameNodeStartup(
    IOptions<NameNodeOptions> options,
    NameNodeState state,
    Registry.RegistryClient registry,
    MetadataClient metadata,
    [FromKeyedServices(Reachability.Registry)] Reachability registryReachability,
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
        if (_options.HighAvailability)
        {
            logger.LogInformation("NameNode {Id} is standby at txid {Txid}: tailing the journal and campaigning", _options.Id, header.LastTxid);
        }

        long epoch;
        if (_options.HighAvailability)
        {
            if (await CampaignAsync(address, stoppingToken).ConfigureAwait(false) is not { } won)
            {
                return;
            }
            epoch = won;
        }
        else
        {
            var status = await RetryLoop.RunAsync("metadata GetStatus",
                async ct => await metadata.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct), _options, logger, stoppingToken).ConfigureAwait(false);
            epoch = status.PromisedEpoch + 1;
        }

        term.Begin();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (_options.HighAvailability)
        {
            _leadingAt = address;
            var renewal = new LeadershipRenewal(_options, registry, metadata, registryReachability, term, logger);
            _ = Task.Run(() => renewal.RunAsync(address, epoch, renewing.Token), renewing.Token);
        }
        try
        {
            if (await BecomeActiveAsync(address, epoch, stoppingToken).ConfigureAwait(false) is { } refused)
            {
                // Hand the leadership back (the next campaign takes a new epoch) and do not spin.
                StepDown(refused);
                if (_options.HighAvailability)
                {
                    await ResignAsync(address, stoppingToken).ConfigureAwait(false);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryMaxBackoffMs), stoppingToken).ConfigureAwait(false);
                return;
            }
            var lost = await term.Lost.WaitAsync(stoppingToken).ConfigureAwait(false);
            StepDown(lost);
            if (!_options.HighAvailability)
            {
                fatal.Stop($"{lost}. NameNode:HighAvailability is false, so this must be the only NameNode, yet another one took a " +
                    "higher epoch at the metadata service: two NameNodes were writing one journal; this one stops");
            }
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Tails the journal while campaigning; the epoch won, or null when the tail found a gap (the term restarts with a reload).</summary>
    private async Task<long?> CampaignAsync(string address, CancellationToken stoppingToken)
    {
        using var tailing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var tail = tailer.FollowAsync(tailing.Token);
        try
        {
            var campaign = new LeadershipCampaign(_options, registry, metadata, registryReachability, state, logger);
            return (await campaign.UntilLeaderAsync(address, tail, stoppingToken).ConfigureAwait(false)).Epoch;
        }
        catch (JournalGapException e)
        {
            logger.LogWarning("Standby {Id}: {Reason}; reloading the namespace", _options.Id, e.Message);
            return null;
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
        try
        {
            await FreshNamespaceLayout.CreateIfFreshAsync(fs, _options, logger, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DfsException or RpcException or IOException)
        {
            logger.LogWarning(e, "NameNode {Id}: could not lay out the fresh namespace (/tmp, /user)", _options.Id);
        }
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
