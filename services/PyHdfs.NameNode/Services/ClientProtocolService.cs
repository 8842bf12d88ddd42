using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

/// <summary>ClientProtocol over gRPC: translation only; the logic is in <see cref="FsNamespace"/>.</summary>
internal sealed partial class ClientProtocolService(FsNamespace fs, DataNodeManager dataNodes, NameNodeState state, IEditLog journal,
    IOptions<NameNodeOptions> options) : ClientProtocol.ClientProtocolBase
{
    public const string UserHeader = "pyhdfs-user";

    private static string? UserOf(ServerCallContext context) => context.RequestHeaders.GetValue(UserHeader);

    public override async Task<MkdirsResponse> Mkdirs(MkdirsRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        await fs.MkdirsAsync(request.Path, request.CreateParent, request.Permission, UserOf(context), context.CancellationToken);
        return new MkdirsResponse();
    }

    public override async Task<CreateResponse> Create(CreateRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return new CreateResponse { Status = await fs.CreateAsync(request, UserOf(context), context.CancellationToken) };
    }

    public override async Task<AddBlockResponse> AddBlock(AddBlockRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return await fs.AddBlockAsync(request, context.CancellationToken);
    }

    public override async Task<AbandonBlockResponse> AbandonBlock(AbandonBlockRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        await fs.AbandonBlockAsync(request, context.CancellationToken);
        return new AbandonBlockResponse();
    }

    public override async Task<CompleteResponse> Complete(CompleteRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return new CompleteResponse { Completed = await fs.CompleteAsync(request, context.CancellationToken) };
    }

    public override async Task<AbandonFileResponse> AbandonFile(AbandonFileRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        await fs.AbandonFileAsync(request, context.CancellationToken);
        return new AbandonFileResponse();
    }

    public override Task<RenewLeaseResponse> RenewLease(RenewLeaseRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        fs.RenewLease(request.ClientName);
        return Task.FromResult(new RenewLeaseResponse());
    }

    public override Task<GetBlockLocationsResponse> GetBlockLocations(GetBlockLocationsRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.GetBlockLocations(request.Path, request.Offset, request.Length));
    }

    public override Task<GetFileInfoResponse> GetFileInfo(GetFileInfoRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(new GetFileInfoResponse { Status = fs.GetFileInfo(request.Path) });
    }

    public override Task<GetListingResponse> GetListing(GetListingRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.GetListing(request.Path, request.StartAfter, request.Limit));
    }

    public override async Task<RenameResponse> Rename(RenameRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        await fs.RenameAsync(request.Source, request.Destination, request.ClientRequestId, context.CancellationToken);
        return new RenameResponse();
    }

    public override async Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return await fs.DeleteAsync(request.Path, request.Recursive, request.ClientRequestId, context.CancellationToken);
    }

    public override Task<ContentSummary> GetContentSummary(GetContentSummaryRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.GetContentSummary(request.Path));
    }

    public override Task<FsStats> GetFsStats(GetFsStatsRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        var stats = fs.GetFsStats();
        fs.CountBlockHealth(stats);
        return Task.FromResult(stats);
    }

    public override async Task<SetReplicationResponse> SetReplication(SetReplicationRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        await fs.SetReplicationAsync(request.Path, request.Replication, context.CancellationToken);
        fs.RequestReplicationCheck(request.Path);
        return new SetReplicationResponse();
    }

    public override Task<ReportBadBlocksResponse> ReportBadBlocks(ReportBadBlocksRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        fs.ReportBadBlocks(request.Replicas);
        return Task.FromResult(new ReportBadBlocksResponse());
    }

    public override Task<DataNodeReport> GetDataNodeReport(GetDataNodeReportRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        var report = new DataNodeReport();
        var counts = fs.ReplicaCounts();
        foreach (var (info, live) in dataNodes.Snapshot())
        {
            report.Nodes.Add(new DataNodeReportEntry { Info = info, Live = live, BlockCount = counts.GetValueOrDefault(info.Address?.Id ?? "") });
        }
        return Task.FromResult(report);
    }

    public override Task<HaStatus> GetHaStatus(GetHaStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new HaStatus
        {
            NamenodeId = options.Value.Id,
            State = state.IsActive ? "active" : state.Role == NameNodeRole.Stopping ? "stopping" : "starting",
            Epoch = state.Epoch,
            LastAppliedTxid = journal.LastTxid,
            SafeMode = false,
            LeaderAddress = state.LeaderAddress,
        });
}
