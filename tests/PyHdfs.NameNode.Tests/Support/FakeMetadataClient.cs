using Grpc.Core;
using PyHdfs.Protocol.Metadata;
using GrpcMetadata = Grpc.Core.Metadata;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>An in-memory Metadata service client: records every Append; a hook can delay or fail it.</summary>
internal sealed class FakeMetadataClient : Protocol.Metadata.Metadata.MetadataClient
{
    private readonly Lock _lock = new();

    public List<AppendRequest> Appends { get; } = [];

    /// <summary>Runs for each Append before it is recorded; may await, or throw an RpcException.</summary>
    public Func<AppendRequest, int, Task>? OnAppend { get; set; }

    public int Calls;

    public override AsyncUnaryCall<AppendResponse> AppendAsync(AppendRequest request, CallOptions options)
    {
        var call = Interlocked.Increment(ref Calls);
        return new AsyncUnaryCall<AppendResponse>(HandleAsync(request, call), Task.FromResult(new GrpcMetadata()),
            () => Status.DefaultSuccess, () => [], () => { });
    }

    private async Task<AppendResponse> HandleAsync(AppendRequest request, int call)
    {
        if (OnAppend is not null)
        {
            await OnAppend(request, call);
        }
        lock (_lock)
        {
            Appends.Add(request.Clone());
            return new AppendResponse { LastTxid = request.Entries[^1].Txid };
        }
    }

    public List<JournalEntry> AllEntries()
    {
        lock (_lock)
        {
            return Appends.SelectMany(a => a.Entries).ToList();
        }
    }
}
