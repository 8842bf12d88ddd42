using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Placement;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Tests;

public sealed class JournalWriterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static JournalWriter Writer(FakeMetadataClient client, List<string>? fatal = null)
    {
        var writer = new JournalWriter(client, new NameNodeOptions { RetryInitialBackoffMs = 5, RetryMaxBackoffMs = 20 },
            NullLogger<JournalWriter>.Instance, reason => fatal?.Add(reason));
        writer.Start(epoch: 7, lastTxid: 100);
        return writer;
    }

    private static NamespaceOp Op(int i) => new() { Mkdir = new MkdirOp { InodeId = i, ParentId = 1, Name = $"d{i}" } };

    [Fact]
    public async Task Concurrent_mutations_share_appends_in_txid_order_and_wait_for_durability()
    {
        var client = new FakeMetadataClient();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (_, call) => call == 1 ? gate.Task : Task.CompletedTask;
        using var writer = Writer(client);

        var first = writer.Append(Op(0));
        var firstSync = writer.SyncAsync(first, CancellationToken.None);
        var syncs = Enumerable.Range(1, 200).Select(i => Task.Run(() => writer.SyncAsync(writer.Append(Op(i)), CancellationToken.None))).ToList();
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.False(firstSync.IsCompleted, "a mutation must not be acknowledged before its Append returned");
        Assert.Equal(100, writer.DurableTxid);
        gate.SetResult();
        await Task.WhenAll(syncs.Append(firstSync)).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var entries = client.AllEntries();
        Assert.Equal(Enumerable.Range(101, 201).Select(i => (long)i), entries.Select(e => e.Txid));
        Assert.All(client.Appends, a => Assert.Equal(7, a.Epoch));
        Assert.All(entries, e => Assert.Equal(7, e.Epoch));
        Assert.True(client.Appends.Count < 20, $"{client.Appends.Count} appends for 201 entries: no group commit");
        Assert.Equal(301, writer.DurableTxid);
    }

    [Fact]
    public async Task An_unreachable_metadata_service_is_retried_and_the_caller_waits()
    {
        var client = new FakeMetadataClient
        {
            OnAppend = (_, call) => call <= 3 ? throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")) : Task.CompletedTask,
        };
        using var writer = Writer(client);
        await writer.SyncAsync(writer.Append(Op(1)), CancellationToken.None).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(4, client.Calls);
        Assert.Equal(101, Assert.Single(client.AllEntries()).Txid);
    }

    [Fact]
    public async Task Fenced_is_fatal_and_nothing_is_acknowledged()
    {
        var client = new FakeMetadataClient
        {
            OnAppend = (_, _) => throw DfsErrors.Create(ErrorKind.Fenced, "epoch 7 < promised 8"),
        };
        var fatal = new List<string>();
        using var writer = Writer(client, fatal);
        var sync = writer.SyncAsync(writer.Append(Op(1)), CancellationToken.None);
        var e = await Assert.ThrowsAsync<DfsException>(() => sync.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorKind.Fenced, e.Kind);
        Assert.Contains("fenced", Assert.Single(fatal));
        Assert.Equal(1, client.Calls);
        Assert.Throws<DfsException>(() => writer.Append(Op(2)));
        Assert.Equal(100, writer.DurableTxid);
    }

    [Fact]
    public async Task The_namespace_over_the_journal_writer_acknowledges_concurrent_mkdirs_and_the_journal_replays_to_the_same_tree()
    {
        var client = new FakeMetadataClient { OnAppend = (_, _) => Task.Delay(5) };
        using var writer = new JournalWriter(client, new NameNodeOptions(), NullLogger<JournalWriter>.Instance, _ => { });
        writer.Start(1, 0);
        var fs = new FsNamespace(new NameNodeOptions(), writer, new DataNodeManager(), new BlockPlacementPolicy());

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => fs.MkdirsAsync($"/p{i % 10}/c{i}", true, 0, null, CancellationToken.None)))).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(110, writer.DurableTxid);
        Assert.True(client.Appends.Count < 110, $"{client.Appends.Count} appends for 110 ops");
        var replay = new FsNamespace(new NameNodeOptions(), new MemoryEditLog(), new DataNodeManager(), new BlockPlacementPolicy());
        foreach (var entry in client.AllEntries())
        {
            replay.ApplyJournaled(entry.Op);
        }
        Assert.Equal(fs.DumpTree(), replay.DumpTree());
    }
}
