using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

/// <summary>
/// DataNodeProtocol over gRPC, served by the active and the standby alike (so a standby's block
/// map is warm when it takes over). Refused until the namespace is loaded: a block report judged
/// against an empty namespace would condemn every replica. Only the active hands out commands.
/// </summary>
internal sealed class DataNodeProtocolService(FsNamespace fs, DataNodeManager dataNodes, NameNodeState state,
    IOptions<NameNodeOptions> options, ILogger<DataNodeProtocolService> logger) : DataNodeProtocol.DataNodeProtocolBase
{
    public override Task<RegisterDataNodeResponse> RegisterDataNode(RegisterDataNodeRequest request, ServerCallContext context)
    {
        state.EnsureLoaded();
        if (string.IsNullOrEmpty(request.Node?.Address?.Id))
        {
            throw new Protocol.Errors.DfsException(Protocol.ErrorKind.InvalidArgument, "RegisterDataNode: the node has no address.id");
        }
        dataNodes.Register(request.Node);
        logger.LogInformation("DataNode {Id} registered ({Host}:{Port}, {Remaining} bytes free)",
            request.Node.Address.Id, request.Node.Address.Host, request.Node.Address.DataPort, request.Node.RemainingBytes);
        return Task.FromResult(new RegisterDataNodeResponse
        {
            NamenodeId = options.Value.Id,
            HeartbeatIntervalMs = options.Value.DataNodeHeartbeatIntervalMs,
            BlockReportIntervalMs = options.Value.BlockReportIntervalMs,
        });
    }

    public override Task<DataNodeHeartbeatResponse> SendHeartbeat(DataNodeHeartbeatRequest request, ServerCallContext context)
    {
        state.EnsureLoaded();
        var active = state.IsActive;
        var response = new DataNodeHeartbeatResponse { Active = active, Epoch = state.Epoch };
        var commands = request.Node is null ? null : dataNodes.Heartbeat(request.Node);
        if (commands is null)
        {
            response.Reregister = true;
        }
        else if (active)
        {
            response.Commands.AddRange(commands);
        }
        return Task.FromResult(response);
    }

    public override Task<BlockReportResponse> BlockReport(BlockReportRequest request, ServerCallContext context)
    {
        state.EnsureLoaded();
        var (recorded, invalidated) = fs.FullBlockReport(request.DatanodeId, request.Blocks);
        logger.LogInformation("Block report of {Id}: {Recorded} replicas recorded, {Invalidated} queued for deletion",
            request.DatanodeId, recorded, invalidated);
        return Task.FromResult(new BlockReportResponse());
    }

    public override Task<BlockReceivedAndDeletedResponse> BlockReceivedAndDeleted(BlockReceivedAndDeletedRequest request, ServerCallContext context)
    {
        state.EnsureLoaded();
        fs.BlockReceivedAndDeleted(request.DatanodeId, request.Received, request.Deleted);
        return Task.FromResult(new BlockReceivedAndDeletedResponse());
    }
}
