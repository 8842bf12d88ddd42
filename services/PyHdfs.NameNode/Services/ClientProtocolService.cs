using Grpc.Core;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Security;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.Services;

/// <summary>ClientProtocol over gRPC: translation only; the logic is in <see cref="FsNamespace"/>.</summary>
internal sealed partial class ClientProtocolService(FsNamespace fs, NameNodeState state, SafeMode safeMode, NameNodeReports reports,
    BlockTokenIssuer? blockTokens = null) : ClientProtocol.ClientProtocolBase
{
    /// <summary>Mutations need the active NameNode out of safe mode.</summary>
    private void EnsureWritable(string? path)
    {
        state.EnsureActive();
        safeMode.EnsureWritable(path);
    }

    public override async Task<MkdirsResponse> Mkdirs(MkdirsRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.MkdirsAsync(request.Path, request.CreateParent, request.Permission, CallerOf(context), context.CancellationToken);
        return new MkdirsResponse();
    }

    public override async Task<CreateResponse> Create(CreateRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return new CreateResponse { Status = await fs.CreateAsync(request, CallerOf(context), context.CancellationToken) };
    }

    public override async Task<AddBlockResponse> AddBlock(AddBlockRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        var response = await fs.AddBlockAsync(request, context.CancellationToken);
        response.Block?.WithToken(blockTokens, BlockAccessMode.Write, CallerOf(context).User);
        return response;
    }

    public override async Task<AbandonBlockResponse> AbandonBlock(AbandonBlockRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.AbandonBlockAsync(request, context.CancellationToken);
        return new AbandonBlockResponse();
    }

    public override async Task<CompleteResponse> Complete(CompleteRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return new CompleteResponse { Completed = await fs.CompleteAsync(request, context.CancellationToken) };
    }

    public override async Task<AbandonFileResponse> AbandonFile(AbandonFileRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
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
        var caller = CallerOf(context);
        return Task.FromResult(fs.GetBlockLocations(request.Path, request.Offset, request.Length, caller).WithReadTokens(blockTokens, caller.User));
    }

    public override Task<GetFileInfoResponse> GetFileInfo(GetFileInfoRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(new GetFileInfoResponse { Status = fs.GetFileInfo(request.Path, CallerOf(context)) });
    }

    public override Task<GetListingResponse> GetListing(GetListingRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.GetListing(request.Path, request.StartAfter, request.Limit, CallerOf(context)));
    }

    public override async Task<RenameResponse> Rename(RenameRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Source);
        await fs.RenameAsync(request.Source, request.Destination, request.ClientRequestId, context.CancellationToken, CallerOf(context));
        return new RenameResponse();
    }

    public override async Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return await fs.DeleteAsync(request.Path, request.Recursive, request.ClientRequestId, context.CancellationToken, CallerOf(context));
    }

    public override Task<ContentSummary> GetContentSummary(GetContentSummaryRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.GetContentSummary(request.Path, CallerOf(context)));
    }

    public override Task<FsStats> GetFsStats(GetFsStatsRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(reports.FsStats());
    }

    public override async Task<SetReplicationResponse> SetReplication(SetReplicationRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.SetReplicationAsync(request.Path, request.Replication, context.CancellationToken, CallerOf(context));
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
        return Task.FromResult(reports.DataNodeReport());
    }

    /// <summary>Anyone may ask; only the superuser may enter or leave (as hdfs dfsadmin -safemode).</summary>
    public override Task<SafeModeStatus> SetSafeMode(SetSafeModeRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        if (request.Action != SafeModeAction.SafeModeGet && fs.PermissionsEnabled && CallerOf(context) is { IsSuperUser: false } caller)
        {
            throw FsErrors.OnlySuperUser("/", caller.User, $"{(request.Action == SafeModeAction.SafeModeEnter ? "enter" : "leave")} safe mode");
        }
        switch (request.Action)
        {
            case SafeModeAction.SafeModeEnter:
                safeMode.Enter(manual: true);
                break;
            case SafeModeAction.SafeModeLeave:
                safeMode.Leave();
                break;
        }
        return Task.FromResult(reports.SafeMode());
    }

    /// <summary>Answered in every role (pyhdfs admin ha asks each NameNode).</summary>
    public override Task<HaStatus> GetHaStatus(GetHaStatusRequest request, ServerCallContext context) =>
        reports.HaStatusAsync(context.CancellationToken);
}
