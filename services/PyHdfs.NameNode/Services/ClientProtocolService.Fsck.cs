using Grpc.Core;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

internal sealed partial class ClientProtocolService
{
    public override Task<FsckResponse> Fsck(FsckRequest request, ServerCallContext context)
    {
        state.EnsureActive();
        return Task.FromResult(fs.Fsck(string.IsNullOrEmpty(request.Path) ? "/" : request.Path, CallerOf(context)));
    }
}
