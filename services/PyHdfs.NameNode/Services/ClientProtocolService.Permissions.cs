using Grpc.Core;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Services;

internal sealed partial class ClientProtocolService
{
    /// <summary>
    /// The user the request names (header <see cref="RequestHeaders.User"/>, trimmed; "nobody" when
    /// missing), with the groups the NameNode resolves for it. Read once per call: block tokens
    /// carry <see cref="Caller.User"/>, the same user the permission check saw.
    /// </summary>
    private Caller CallerOf(ServerCallContext context) => fs.Identify(context.RequestHeaders.GetValue(RequestHeaders.User));

    public override async Task<SetPermissionResponse> SetPermission(SetPermissionRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.SetPermissionAsync(request.Path, request.Permission, CallerOf(context), context.CancellationToken);
        return new SetPermissionResponse();
    }

    public override async Task<SetOwnerResponse> SetOwner(SetOwnerRequest request, ServerCallContext context)
    {
        EnsureWritable(request.Path);
        await fs.SetOwnerAsync(request.Path, request.Owner, request.Group, CallerOf(context), context.CancellationToken);
        return new SetOwnerResponse();
    }
}
