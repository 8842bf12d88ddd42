using System.Threading.Channels;
using Grpc.Core;
using PyHdfs.Protocol.Metadata;
using GrpcMetadata = Grpc.Core.Metadata;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>
/// An in-memory Metadata service client: records every Append; a hook can delay or fail it. Its
/// AppendStream handles requests one at a time in arrival order, like the real service: a hook that
/// throws ends the stream with that status, and a re-sent entry already recorded (same epoch and
/// txid) is accepted again without being recorded twice.
/// </summary>
internal sealed class FakeMetadataClient : Protocol.Metadata.Metadata.MetadataClient
{
    private readonly Lock _lock = new();
    private readonly HashSet<(long Epoch, long Txid)> _recorded = [];

    public List<AppendRequest> Appends { get; } = [];

    /// <summary>Runs for each Append (unary or streamed) before it is recorded; may await, or throw an RpcException.</summary>
    public Func<AppendRequest, int, Task>? OnAppend { get; set; }

    /// <summary>Append requests received, unary or streamed, re-sent ones included.</summary>
    public int Calls;

    /// <summary>AppendStream calls opened.</summary>
    public int Streams;

    /// <summary>Append requests received over AppendStream.</summary>
    public int StreamedRequests;

    public override AsyncUnaryCall<AppendResponse> AppendAsync(AppendRequest request, CallOptions options)
    {
        var call = Interlocked.Increment(ref Calls);
        return new AsyncUnaryCall<AppendResponse>(HandleAsync(request, call), Task.FromResult(new GrpcMetadata()),
            () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncDuplexStreamingCall<AppendRequest, AppendResponse> AppendStream(CallOptions options)
    {
        Interlocked.Increment(ref Streams);
        var requests = Channel.CreateUnbounded<AppendRequest>();
        var responses = Channel.CreateUnbounded<AppendResponse>();
        var status = Status.DefaultSuccess;
        var abort = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var request in requests.Reader.ReadAllAsync(abort.Token))
                {
                    Interlocked.Increment(ref StreamedRequests);
                    var response = await HandleAsync(request, Interlocked.Increment(ref Calls));
                    abort.Token.ThrowIfCancellationRequested();
                    responses.Writer.TryWrite(response);
                }
                responses.Writer.TryComplete();
            }
            catch (RpcException e)
            {
                status = e.Status;
                responses.Writer.TryComplete(e);
            }
            catch (OperationCanceledException)
            {
                status = new Status(StatusCode.Cancelled, "cancelled");
                responses.Writer.TryComplete(new RpcException(status));
            }
        });
        return new AsyncDuplexStreamingCall<AppendRequest, AppendResponse>(new RequestWriter(requests.Writer, responses.Reader.Completion),
            new ResponseReader(responses.Reader, abort.Token), Task.FromResult(new GrpcMetadata()), () => status, () => [], abort.Cancel);
    }

    private async Task<AppendResponse> HandleAsync(AppendRequest request, int call)
    {
        if (OnAppend is not null)
        {
            await OnAppend(request, call);
        }
        lock (_lock)
        {
            var fresh = request.Clone();
            fresh.Entries.Clear();
            fresh.Entries.AddRange(request.Entries.Where(e => _recorded.Add((request.Epoch, e.Txid))));
            if (fresh.Entries.Count > 0)
            {
                Appends.Add(fresh);
            }
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

    private sealed class RequestWriter(ChannelWriter<AppendRequest> writer, Task ended) : IClientStreamWriter<AppendRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(AppendRequest message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(AppendRequest message, CancellationToken cancellationToken)
        {
            if (ended.IsCompleted)
            {
                await ended; // the status the stream ended with, as the real client reports it
                throw new InvalidOperationException("the call has completed");
            }
            await writer.WriteAsync(message.Clone(), cancellationToken);
        }

        public Task CompleteAsync()
        {
            writer.TryComplete();
            return Task.CompletedTask;
        }
    }

    private sealed class ResponseReader(ChannelReader<AppendResponse> reader, CancellationToken call) : IAsyncStreamReader<AppendResponse>
    {
        public AppendResponse Current { get; private set; } = new();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call);
            try
            {
                if (!await reader.WaitToReadAsync(both.Token))
                {
                    return false;
                }
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "call cancelled"));
            }
            Current = reader.TryRead(out var response) ? response : throw new InvalidOperationException("no response");
            return true;
        }
    }
}
