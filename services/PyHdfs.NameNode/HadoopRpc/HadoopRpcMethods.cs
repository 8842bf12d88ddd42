using Google.Protobuf;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// Hadoop's ClientProtocol, translated onto the same <see cref="FsNamespace"/> as the gRPC service: each
/// method parses its request, calls the namespace as the connection's user and builds Hadoop's response.
/// Work in progress: the metadata queries first; the write path follows.
/// </summary>
internal sealed class HadoopRpcMethods(FsNamespace fs, NameNodeState state)
{
    private delegate Task<IMessage> Method(byte[] request, Namespace.Permissions.Caller caller, CancellationToken cancellationToken);

    private Dictionary<string, Method>? _methods;

    public Task<IMessage> InvokeAsync(string name, byte[] request, string? user, CancellationToken cancellationToken)
    {
        _methods ??= Build();
        if (!_methods.TryGetValue(name, out var method))
        {
            throw new HadoopNoSuchMethodException(name);
        }
        return method(request, fs.Identify(user), cancellationToken);
    }

    private Dictionary<string, Method> Build() => new(StringComparer.Ordinal)
    {
        ["getFileInfo"] = (request, caller, _) =>
        {
            var src = GetFileInfoRequestProto.Parser.ParseFrom(request).Src;
            state.EnsureActive();
            var response = new GetFileInfoResponseProto();
            // A missing path is an empty response, not an error: `rm -f`, mkdir and `put -` rely on it.
            try
            {
                response.Fs = HadoopFileStatus.From(fs.GetFileInfo(src, caller), ByteString.Empty);
            }
            catch (DfsException e) when (e.Kind == ErrorKind.FileNotFound)
            {
            }
            return Task.FromResult<IMessage>(response);
        },
        ["renewLease"] = (_, _, _) => Task.FromResult<IMessage>(new RenewLeaseResponseProto()),
    };
}
