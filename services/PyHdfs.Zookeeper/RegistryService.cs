using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.Zookeeper;

/// <summary>The gRPC face of the registry; the logic lives in <see cref="IRegistryStore"/> and <see cref="DataNodeEventHub"/>.</summary>
public sealed class RegistryService(IRegistryStore store, DataNodeEventHub hub, RegistryEventPump pump, IOptions<RegistryOptions> options) : Registry.RegistryBase
{
    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        await store.RegisterAsync(request.Node, context.CancellationToken).ConfigureAwait(false);
        return new RegisterResponse { TtlMs = options.Value.DataNodeTtlMs, HeartbeatIntervalMs = options.Value.HeartbeatIntervalMs };
    }

    public override async Task<RegistryHeartbeatResponse> Heartbeat(RegistryHeartbeatRequest request, ServerCallContext context) =>
        new() { Known = await store.HeartbeatAsync(request.Node, context.CancellationToken).ConfigureAwait(false) };

    public override async Task<UnregisterResponse> Unregister(UnregisterRequest request, ServerCallContext context)
    {
        await store.UnregisterAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
        return new UnregisterResponse();
    }

    public override async Task<ListDataNodesResponse> ListDataNodes(ListDataNodesRequest request, ServerCallContext context) =>
        new() { Nodes = { await store.ListDataNodesAsync(context.CancellationToken).ConfigureAwait(false) } };

    public override async Task WatchDataNodes(WatchDataNodesRequest request, IServerStreamWriter<DataNodeEvent> responseStream, ServerCallContext context)
    {
        // Subscribe before reading the snapshot: an event racing with the snapshot is then delivered
        // (perhaps twice) rather than lost. Watchers apply events idempotently.
        var cancellation = context.CancellationToken;
        await pump.Subscribed.WaitAsync(cancellation).ConfigureAwait(false); // no events flow before that
        using var watcher = hub.Subscribe();
        var nodes = await store.ListDataNodesAsync(cancellation).ConfigureAwait(false);
        await responseStream.WriteAsync(new DataNodeEvent { Kind = DataNodeEvent.Types.Kind.Snapshot, Nodes = { nodes } }, cancellation).ConfigureAwait(false);
        try
        {
            await foreach (var dataNodeEvent in watcher.Events.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(dataNodeEvent, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The watcher went away.
        }
        catch (WatcherOverflowException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }

    public override Task<LeadershipResponse> Campaign(CampaignRequest request, ServerCallContext context) =>
        store.CampaignAsync(request.CandidateId, request.Address, request.LeaseMs, request.Epoch, context.CancellationToken);

    public override Task<LeadershipResponse> RenewLeadership(CampaignRequest request, ServerCallContext context) =>
        store.RenewLeadershipAsync(request.CandidateId, request.Address, request.LeaseMs, request.Epoch, context.CancellationToken);

    public override Task<LeadershipResponse> Resign(CampaignRequest request, ServerCallContext context) =>
        store.ResignAsync(request.CandidateId, context.CancellationToken);

    public override Task<LeadershipResponse> GetLeader(GetLeaderRequest request, ServerCallContext context) =>
        store.GetLeaderAsync(context.CancellationToken);
}
