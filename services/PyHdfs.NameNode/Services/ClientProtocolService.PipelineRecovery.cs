using Grpc.Core;
using PyHdfs.NameNode.Security;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.Services;

internal sealed partial class ClientProtocolService
{
    public override async Task<UpdateBlockForPipelineResponse> UpdateBlockForPipeline(UpdateBlockForPipelineRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        var located = await fs.UpdateBlockForPipelineAsync(request, context.CancellationToken);
        return new UpdateBlockForPipelineResponse { Block = located.WithToken(blockTokens, BlockAccessMode.Write, CallerOf(context).User) };
    }

    public override Task<UpdatePipelineResponse> UpdatePipeline(UpdatePipelineRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        fs.UpdatePipeline(request);
        return Task.FromResult(new UpdatePipelineResponse());
    }
}
