using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Testing;
using static PyHdfs.Metadata.Tests.Ops;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.Metadata.Tests;

/// <summary>AppendStream over gRPC: pipelined batches committed in order, refusals ending the stream, re-sends.</summary>
public sealed class AppendStreamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<WebApplication> StartAsync(string databasePath)
    {
        var app = MetadataHost.Build(["--urls=http://127.0.0.1:0", $"--Metadata:DatabasePath={databasePath}", "--Metadata:SuperUser=hdfs",
            "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(Token);
        return app;
    }

    private static AppendRequest Batch(long epoch, long firstTxid, params NamespaceOp[] ops) => new() { Epoch = epoch, Entries = { Entries(firstTxid, ops) } };

    private static async Task<long> NextAnswerAsync(AsyncDuplexStreamingCall<AppendRequest, AppendResponse> call)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Deadline);
        Assert.True(await call.ResponseStream.MoveNext(deadline.Token), "the stream ended before the answer");
        return call.ResponseStream.Current.LastTxid;
    }

    [Fact]
    public async Task Batches_sent_without_waiting_are_committed_in_order_with_one_answer_each()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = new MetadataClient(channel);
        await client.NewEpochAsync(new NewEpochRequest { Epoch = 1, WriterId = "nn-1" }, cancellationToken: Token);

        using var call = client.AppendStream(cancellationToken: Token);
        await call.RequestStream.WriteAsync(Batch(1, 1, Mkdir(2, Root, "a")), Token);
        await call.RequestStream.WriteAsync(Batch(1, 2, Mkdir(3, 2, "b"), CreateFile(4, 3, "f")), Token);
        await call.RequestStream.WriteAsync(Batch(1, 4, Mkdir(5, 3, "c")), Token);

        var answers = new List<long> { await NextAnswerAsync(call), await NextAnswerAsync(call), await NextAnswerAsync(call) };
        Assert.Equal([1L, 3, 4], answers);
        await call.RequestStream.CompleteAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        Assert.False(await call.ResponseStream.MoveNext(deadline.Token));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        var image = await Image.FromChunksAsync(client.LoadNamespace(new LoadNamespaceRequest(), cancellationToken: Token).ResponseStream.ReadAllAsync(Token));
        Assert.Equal(InodeKind.File, image.Child(3, "f").Kind);
        Assert.Equal(InodeKind.Directory, image.Child(3, "c").Kind);
        Assert.Equal(4, (await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: Token)).LastTxid);
    }

    [Fact]
    public async Task A_fenced_batch_ends_the_stream_with_FENCED_and_nothing_after_it_is_committed()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = new MetadataClient(channel);
        await client.NewEpochAsync(new NewEpochRequest { Epoch = 1, WriterId = "nn-1" }, cancellationToken: Token);
        using var call = client.AppendStream(cancellationToken: Token);
        await call.RequestStream.WriteAsync(Batch(1, 1, Mkdir(2, Root, "a")), Token);
        Assert.Equal(1, await NextAnswerAsync(call));

        await client.NewEpochAsync(new NewEpochRequest { Epoch = 2, WriterId = "nn-2" }, cancellationToken: Token);
        await call.RequestStream.WriteAsync(Batch(1, 2, Mkdir(3, Root, "b")), Token);
        await call.RequestStream.WriteAsync(Batch(2, 2, Mkdir(3, Root, "b")), Token);

        var fenced = await Assert.ThrowsAsync<RpcException>(() => NextAnswerAsync(call));
        Assert.Equal(ErrorKind.Fenced, DfsErrors.KindOf(fenced));
        var status = await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: Token);
        Assert.Equal(1, status.LastTxid); // not even the later batch of the new epoch: the stream stopped at the refusal
        Assert.Equal(2, status.PromisedEpoch);
    }

    [Fact]
    public async Task A_gap_on_the_stream_is_refused_as_an_invalid_argument()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = new MetadataClient(channel);
        using var call = client.AppendStream(cancellationToken: Token);
        await call.RequestStream.WriteAsync(Batch(1, 1, Mkdir(2, Root, "a")), Token);
        await call.RequestStream.WriteAsync(Batch(1, 3, Mkdir(3, Root, "b")), Token);

        Assert.Equal(1, await NextAnswerAsync(call));
        var gap = await Assert.ThrowsAsync<RpcException>(() => NextAnswerAsync(call));
        Assert.Equal(ErrorKind.InvalidArgument, DfsErrors.KindOf(gap));
    }

    [Fact]
    public async Task Batches_re_sent_on_a_new_stream_after_a_lost_answer_are_accepted_once()
    {
        using var directory = new TempDirectory();
        await using var app = await StartAsync(directory.Combine("namespace.db"));
        using var channel = GrpcChannels.Create(new Uri(app.Urls.First()));
        var client = new MetadataClient(channel);
        using (var lost = client.AppendStream(cancellationToken: Token))
        {
            await lost.RequestStream.WriteAsync(Batch(1, 1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b")), Token);
            Assert.Equal(2, await NextAnswerAsync(lost));
        }

        using var again = client.AppendStream(cancellationToken: Token);
        await again.RequestStream.WriteAsync(Batch(1, 1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b")), Token);
        await again.RequestStream.WriteAsync(Batch(1, 2, Mkdir(3, Root, "b"), Mkdir(4, Root, "c")), Token);
        var answers = new List<long> { await NextAnswerAsync(again), await NextAnswerAsync(again) };
        Assert.Equal([2L, 3], answers);

        using var read = client.ReadJournal(new ReadJournalRequest { FromTxid = 1 }, cancellationToken: Token);
        var journal = await read.ResponseStream.ReadAllAsync(Token).ToListAsync(Token);
        Assert.Equal([1L, 2, 3], journal.Select(e => e.Txid));
        Assert.Equal(3, (await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: Token)).LastTxid);
    }
}
