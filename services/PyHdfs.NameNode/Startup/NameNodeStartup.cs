using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Namespace;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.Registry;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Startup;

/// <summary>
/// Start-up: campaign in the registry until leader (then renew every lease/3), promise the epoch
/// to the metadata service, load the namespace, start the journal, and only then serve.
/// </summary>
internal sealed class NameNodeStartup(
    IOptions<NameNodeOptions> options,
    NameNodeState state,
    Registry.RegistryClient registry,
    MetadataClient metadata,
    JournalWriter journal,
    FsNamespace fs,
    FatalStop fatal,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<NameNodeStartup> logger) : BackgroundService
{
    private readonly NameNodeOptions _options = options.Value;
    private string? _leadingAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            fatal.Stop($"start-up failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var address = await OwnAddressAsync(stoppingToken).ConfigureAwait(false);

        state.SetStartupStep("campaigning for leadership in the registry");
        var leadership = await CampaignUntilLeaderAsync(address, stoppingToken).ConfigureAwait(false);
        var epoch = leadership.Epoch;
        _leadingAt = address;
        logger.LogInformation("NameNode {Id} leads with epoch {Epoch} at {Address}", _options.Id, epoch, address);
        _ = Task.Run(() => RenewLeadershipAsync(address, epoch, stoppingToken), stoppingToken);

        state.SetStartupStep($"promising epoch {epoch} to the metadata service");
        try
        {
            await RetryLoop.RunAsync("metadata NewEpoch",
                async ct => await metadata.NewEpochAsync(new NewEpochRequest { Epoch = epoch, WriterId = _options.Id }, cancellationToken: ct),
                _options, logger, stoppingToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (DfsErrors.KindOf(e) == ErrorKind.Fenced || e.StatusCode == StatusCode.FailedPrecondition)
        {
            fatal.Stop($"the metadata service refused epoch {epoch}: {e.Status.Detail}");
            return;
        }

        state.SetStartupStep("loading the namespace");
        var header = await RetryLoop.RunAsync("metadata LoadNamespace", LoadAsync, _options, logger, stoppingToken).ConfigureAwait(false);
        journal.Start(epoch, header.LastTxid);
        state.BecomeActive(epoch, address);
        var (files, directories, blocks) = fs.Counts();
        logger.LogInformation("NameNode {Id} is active: epoch {Epoch}, last txid {Txid}, {Files} files, {Directories} directories, {Blocks} blocks",
            _options.Id, epoch, header.LastTxid, files, directories, blocks);
    }

    /// <summary>A clean stop hands leadership back at once instead of making a successor wait for the lease to run out.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        state.BeginStopping();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_leadingAt is { } address)
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

    private async Task<LeadershipResponse> CampaignUntilLeaderAsync(string address, CancellationToken stoppingToken)
    {
        var request = new CampaignRequest { CandidateId = _options.Id, Address = address, LeaseMs = _options.LeaderLeaseMs };
        string? lastLeader = null;
        while (true)
        {
            var response = await RetryLoop.RunAsync("registry Campaign",
                async ct => await registry.CampaignAsync(request, cancellationToken: ct), _options, logger, stoppingToken).ConfigureAwait(false);
            if (response.IsLeader)
            {
                return response;
            }
            if (response.LeaderId != lastLeader)
            {
                logger.LogWarning("NameNode {Id} waits: {Leader} at {Address} leads (epoch {Epoch}, lease {Remaining} ms left)",
                    _options.Id, response.LeaderId, response.LeaderAddress, response.Epoch, response.LeaseRemainingMs);
                lastLeader = response.LeaderId;
            }
            var wait = Math.Clamp(response.LeaseRemainingMs, 100, Math.Max(100, _options.LeaderLeaseMs / 3));
            await Task.Delay(TimeSpan.FromMilliseconds(wait), stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews every lease/3; if the lease is lost (or cannot be renewed before it runs out), stops.</summary>
    private async Task RenewLeadershipAsync(string address, long epoch, CancellationToken stoppingToken)
    {
        var request = new CampaignRequest { CandidateId = _options.Id, Address = address, LeaseMs = _options.LeaderLeaseMs };
        var interval = TimeSpan.FromMilliseconds(Math.Max(50, _options.LeaderLeaseMs / 3));
        var lastRenewal = DateTime.UtcNow;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken).ConfigureAwait(false);
                var response = await registry.RenewLeadershipAsync(request,
                    deadline: DateTime.UtcNow + interval, cancellationToken: stoppingToken).ConfigureAwait(false);
                if (!response.IsLeader || response.Epoch != epoch)
                {
                    fatal.Stop($"leadership lost: the registry says {response.LeaderId} leads with epoch {response.Epoch} (ours was {epoch})");
                    return;
                }
                lastRenewal = DateTime.UtcNow;
                if (failing)
                {
                    logger.LogInformation("Leadership renewal works again");
                    failing = false;
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
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
                if (DateTime.UtcNow - lastRenewal >= TimeSpan.FromMilliseconds(_options.LeaderLeaseMs))
                {
                    fatal.Stop($"leadership lease of {_options.LeaderLeaseMs} ms ran out without a renewal ({e.StatusCode}: {e.Status.Detail})");
                    return;
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
