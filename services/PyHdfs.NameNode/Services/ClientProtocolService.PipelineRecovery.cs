using Grpc.Core;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

internal sealed partial class ClientProtocolService
{
    public override async Task<UpdateBlockForPipelineResponse> UpdateBlockForPipeline(UpdateBlockForPipelineRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return new UpdateBlockForPipelineResponse { Block = await fs.UpdateBlockForPipelineAsync(request, context.CancellationToken) };
    }

    public override Task<UpdatePipelineResponse> UpdatePipeline(UpdatePipelineRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        fs.UpdatePipeline(request);
        return Task.FromResult(new UpdatePipelineResponse());
    }
}
