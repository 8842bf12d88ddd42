using Google.Protobuf;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Security;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// Hadoop's ClientProtocol, translated onto the same <see cref="FsNamespace"/> as the gRPC service: each
/// method parses its request, calls the namespace as the connection's user and builds Hadoop's response.
/// Queries here, namespace changes in HadoopRpcMethods.Mutations.cs, the block write path in HadoopRpcMethods.Blocks.cs.
/// </summary>
internal sealed partial class HadoopRpcMethods(FsNamespace fs, NameNodeState state, SafeMode safeMode, IOptions<NameNodeOptions> options,
    WebHdfs.WebHdfsRedirector redirector, BlockTokenIssuer? blockTokens = null)
{
    private delegate Task<IMessage> Method(byte[] request, Namespace.Permissions.Caller caller, CancellationToken cancellationToken);

    /// <summary>Hadoop's clients write CRC32 per 512-byte chunk whatever the server says; the DataNode converts.</summary>
    private const uint HadoopBytesPerChecksum = 512;

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

    private Dictionary<string, Method> Build()
    {
        var methods = Queries();
        foreach (var (name, method) in Mutations().Concat(Blocks()))
        {
            methods.Add(name, method);
        }
        return methods;
    }

    private Dictionary<string, Method> Queries() => new(StringComparer.Ordinal)
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
        ["getListing"] = (request, caller, _) =>
        {
            var listing = GetListingRequestProto.Parser.ParseFrom(request);
            state.EnsureActive();
            var response = new GetListingResponseProto();
            try
            {
                var startAfter = listing.StartAfter.IsEmpty ? null : listing.StartAfter.ToStringUtf8();
                var page = fs.GetListing(listing.Src, startAfter, 0, caller);
                var dirList = new DirectoryListingProto { RemainingEntries = page.HasMore ? 1u : 0u };
                dirList.PartialListing.AddRange(page.Entries.Select(e => HadoopFileStatus.From(e, ByteString.CopyFromUtf8(e.Name))));
                response.DirList = dirList;
            }
            catch (DfsException e) when (e.Kind == ErrorKind.FileNotFound)
            {
            }
            return Task.FromResult<IMessage>(response);
        },
        ["getBlockLocations"] = (request, caller, _) =>
        {
            var get = GetBlockLocationsRequestProto.Parser.ParseFrom(request);
            state.EnsureActive();
            var offset = (long)Math.Min(get.Offset, long.MaxValue);
            var located = fs.GetBlockLocations(get.Src, offset, (long)Math.Min(get.Length, (ulong)(long.MaxValue - offset)), caller);
            return Task.FromResult<IMessage>(new GetBlockLocationsResponseProto { Locations = HadoopLocatedBlocks.From(located.WithReadTokens(blockTokens, caller.User)) });
        },
        ["getServerDefaults"] = (_, _, _) =>
        {
            var o = options.Value;
            return Task.FromResult<IMessage>(new GetServerDefaultsResponseProto
            {
                ServerDefaults = new FsServerDefaultsProto
                {
                    BlockSize = (ulong)o.BlockSizeBytes,
                    BytesPerChecksum = HadoopBytesPerChecksum,
                    WritePacketSize = 64 * 1024,
                    Replication = (uint)o.Replication,
                    FileBufferSize = 4096,
                    ChecksumType = ChecksumTypeProto.ChecksumCrc32,
                },
            });
        },
        ["getFsStats"] = (_, _, _) =>
        {
            var stats = fs.GetFsStats();
            return Task.FromResult<IMessage>(new GetFsStatsResponseProto
            {
                // Hadoop clients divide by the capacity (the Go `hdfs df` panics on 0).
                Capacity = (ulong)Math.Max(1, stats.CapacityBytes),
                Used = (ulong)stats.UsedBytes,
                Remaining = (ulong)stats.RemainingBytes,
                UnderReplicated = (ulong)stats.UnderReplicatedBlocks,
                CorruptBlocks = 0,
                MissingBlocks = (ulong)stats.MissingBlocks,
            });
        },
        ["getContentSummary"] = (request, caller, _) =>
        {
            var path = GetContentSummaryRequestProto.Parser.ParseFrom(request).Path;
            state.EnsureActive();
            var summary = fs.GetContentSummary(path, caller);
            return Task.FromResult<IMessage>(new GetContentSummaryResponseProto
            {
                Summary = new ContentSummaryProto
                {
                    Length = (ulong)summary.Length,
                    FileCount = (ulong)summary.FileCount,
                    DirectoryCount = (ulong)summary.DirectoryCount,
                    Quota = NoQuota,
                    SpaceConsumed = (ulong)summary.SpaceConsumed,
                    SpaceQuota = NoQuota,
                },
            });
        },
        ["renewLease"] = (request, _, _) =>
        {
            fs.RenewLease(RenewLeaseRequestProto.Parser.ParseFrom(request).ClientName);
            return Task.FromResult<IMessage>(new RenewLeaseResponseProto());
        },
    };

    /// <summary>Hadoop writes "no quota" as -1 into these uint64 fields.</summary>
    private const ulong NoQuota = unchecked((ulong)-1L);
}
