using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Testing;

namespace PyHdfs.NameNode.Tests;

/// <summary>The journal writer with several batches in flight on one AppendStream (and with one, as before).</summary>
public sealed class PipelinedJournalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JournalWriter Writer(FakeMetadataClient client, int inFlight, List<string>? fatal = null, long appendTimeoutMs = 30_000)
    {
        var options = new NameNodeOptions
        {
            RetryInitialBackoffMs = 5, RetryMaxBackoffMs = 20, MaxJournalBatchesInFlight = inFlight, JournalAppendTimeoutMs = appendTimeoutMs,
        };
        var writer = new JournalWriter(client, options, NullLogger<JournalWriter>.Instance, reason => fatal?.Add(reason));
        writer.Start(epoch: 7, lastTxid: 100);
        return writer;
    }

    private static NamespaceOp Op(int i) => new() { Mkdir = new MkdirOp { InodeId = i, ParentId = 1, Name = $"d{i}" } };

    /// <summary>Appends one op per batch: each waits until the writer has sent the previous ones.</summary>
    private static async Task<List<Task>> AppendBatchesAsync(JournalWriter writer, int count, int sentBefore = 0)
    {
        var syncs = new List<Task>();
        for (var i = 1; i <= count; i++)
        {
            syncs.Add(writer.SyncAsync(writer.Append(Op(i)), CancellationToken.None));
            var sent = sentBefore + i;
            await Eventually.WaitUntilAsync(() => writer.AppendCalls >= sent, Timeout, $"batch {i} sent");
        }
        return syncs;
    }

    [Fact]
    public async Task Several_batches_are_in_flight_and_acknowledged_in_txid_order()
    {
        var client = new FakeMetadataClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (_, call) => call == 1 ? gate.Task : Task.CompletedTask;
        using var writer = Writer(client, inFlight: 3);

        var syncs = await AppendBatchesAsync(writer, 3);
        var fourth = writer.SyncAsync(writer.Append(Op(4)), CancellationToken.None);
        var durableAtCompletion = new long[4];
        var all = syncs.Append(fourth).Select((s, i) => s.ContinueWith(_ => durableAtCompletion[i] = writer.DurableTxid, TaskScheduler.Default)).ToList();

        Assert.Equal(3, writer.AppendCalls); // three batches sent before the first answer; the fourth waits for a slot
        Assert.Equal(100, writer.DurableTxid);
        Assert.DoesNotContain(syncs.Append(fourth), s => s.IsCompleted);
        gate.SetResult();
        await Task.WhenAll(syncs.Append(fourth)).WaitAsync(Timeout, Token);
        await Task.WhenAll(all).WaitAsync(Timeout, Token);

        Assert.Equal([101L, 102, 103, 104], client.AllEntries().Select(e => e.Txid));
        Assert.All(durableAtCompletion.Select((durable, i) => (durable, txid: 101 + i)), p => Assert.True(p.durable >= p.txid, $"txid {p.txid} acknowledged at durable {p.durable}"));
        Assert.Equal(1, client.Streams);
        Assert.Equal(104, writer.DurableTxid);
    }

    [Fact]
    public async Task A_refused_batch_fails_itself_and_every_later_batch_and_ends_the_term()
    {
        var client = new FakeMetadataClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (_, call) => call switch
        {
            1 => gate.Task,
            2 => throw DfsErrors.Create(ErrorKind.Fenced, "epoch 7 < promised 8"),
            _ => Task.CompletedTask,
        };
        var fatal = new List<string>();
        using var writer = Writer(client, inFlight: 3, fatal);

        var syncs = await AppendBatchesAsync(writer, 3);
        gate.SetResult();

        await syncs[0].WaitAsync(Timeout, Token);
        foreach (var later in syncs.Skip(1))
        {
            var e = await Assert.ThrowsAsync<DfsException>(() => later.WaitAsync(Timeout, Token));
            Assert.Equal(ErrorKind.Fenced, e.Kind);
        }
        Assert.Contains("fenced", Assert.Single(fatal), StringComparison.Ordinal);
        Assert.Equal(101, writer.DurableTxid);
        Assert.Equal([101L], client.AllEntries().Select(e => e.Txid));
        Assert.Throws<DfsException>(() => writer.Append(Op(9)));
        await Assert.ThrowsAsync<DfsException>(() => writer.SyncAsync(103, CancellationToken.None));
    }

    [Fact]
    public async Task A_transport_failure_mid_stream_resends_the_unacknowledged_batches_in_order()
    {
        var client = new FakeMetadataClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (_, call) => call switch
        {
            1 => gate.Task,
            2 => throw new RpcException(new Status(StatusCode.Unavailable, "metadata killed")),
            _ => Task.CompletedTask,
        };
        var fatal = new List<string>();
        using var writer = Writer(client, inFlight: 3, fatal);

        var syncs = await AppendBatchesAsync(writer, 3);
        var completions = 0;
        var counted = syncs.Select(s => s.ContinueWith(_ => Interlocked.Increment(ref completions), TaskScheduler.Default)).ToList();
        gate.SetResult();
        await Task.WhenAll(syncs).WaitAsync(Timeout, Token);
        await Task.WhenAll(counted).WaitAsync(Timeout, Token);

        Assert.Equal(3, completions);
        Assert.All(syncs, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal([101L, 102, 103], client.AllEntries().Select(e => e.Txid));
        Assert.Equal(2, client.Streams);
        Assert.Equal(5, writer.AppendCalls); // 3 sent, then 102 and 103 again on the new stream
        Assert.Empty(fatal);
        Assert.Equal(103, writer.DurableTxid);
    }

    [Fact]
    public async Task An_unanswered_batch_past_the_deadline_is_sent_again_on_a_new_stream()
    {
        var client = new FakeMetadataClient();
        var never = new TaskCompletionSource();
        client.OnAppend = (_, call) => call == 1 ? never.Task : Task.CompletedTask;
        using var writer = Writer(client, inFlight: 3, appendTimeoutMs: 200);

        await writer.SyncAsync(writer.Append(Op(1)), CancellationToken.None).WaitAsync(Timeout, Token);

        Assert.Equal(2, client.Streams);
        Assert.Equal([101L], client.AllEntries().Select(e => e.Txid));
    }

    [Fact]
    public async Task Mutations_one_after_another_share_one_stream()
    {
        var client = new FakeMetadataClient();
        using var writer = Writer(client, inFlight: 3);

        for (var i = 1; i <= 5; i++)
        {
            await writer.SyncAsync(writer.Append(Op(i)), CancellationToken.None).WaitAsync(Timeout, Token);
        }

        Assert.Equal(1, client.Streams); // an idle stream lingers instead of one stream per mutation
        Assert.Equal(5, client.StreamedRequests);
        Assert.Equal(105, writer.DurableTxid);
    }

    [Fact]
    public async Task With_one_batch_in_flight_the_writer_uses_unary_appends_one_at_a_time()
    {
        var client = new FakeMetadataClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (_, call) => call == 1 ? gate.Task : Task.CompletedTask;
        using var writer = Writer(client, inFlight: 1);

        var first = await AppendBatchesAsync(writer, 1);
        var later = Enumerable.Range(2, 5).Select(i => writer.SyncAsync(writer.Append(Op(i)), CancellationToken.None)).ToList();
        await Task.Delay(100, Token); // give a second Append the chance it must not take

        Assert.Equal(1, writer.AppendCalls);
        gate.SetResult();
        await Task.WhenAll(first.Concat(later)).WaitAsync(Timeout, Token);

        Assert.Equal(0, client.Streams);
        Assert.Equal(2, client.Calls); // the five queued meanwhile went in one Append
        Assert.Equal(Enumerable.Range(101, 6).Select(i => (long)i), client.AllEntries().Select(e => e.Txid));
    }
}
