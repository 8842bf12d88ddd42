using Grpc.Core;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

/// <summary>Append, truncate and set times: translation only (<see cref="Namespace.FsNamespace"/>.Reopen).</summary>
internal sealed partial class ClientProtocolService
{
    public override async Task<AppendResponse> Append(AppendRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return new AppendResponse { Status = await fs.AppendAsync(request.Path, request.ClientName, CallerOf(context), context.CancellationToken) };
    }

    public override async Task<TruncateResponse> Truncate(TruncateRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        return await fs.TruncateAsync(request.Path, request.NewLength, request.ClientName, CallerOf(context), context.CancellationToken);
    }

    public override async Task<SetTimesResponse> SetTimes(SetTimesRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.SetTimesAsync(request.Path, request.MtimeMs, request.AtimeMs, CallerOf(context), context.CancellationToken);
        return new SetTimesResponse();
    }
}
