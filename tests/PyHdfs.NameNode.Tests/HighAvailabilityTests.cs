using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Startup;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

/// <summary>The pieces of NameNode HA: the standby's retry cache, safe mode, roles, the journal's terms.</summary>
public sealed class HighAvailabilityTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_standby_that_tailed_the_journal_answers_retries_of_the_active_s_calls()
    {
        var active = new NamespaceHarness();
        await active.MkdirsAsync("/gone/inner");
        await active.MkdirsAsync("/source");
        var create = new CreateRequest { Path = "/file", ClientName = "c", ClientRequestId = "create-1" };
        var created = await active.Fs.CreateAsync(create, null, Token);
        Assert.True(await active.CompleteAsync("/file", created.FileId, null, client: "c"));
        await active.Fs.RenameAsync("/source", "/destination", "rename-1", Token);
        var deleted = await active.Fs.DeleteAsync("/gone", true, "delete-1", Token);

        var standby = new NamespaceHarness();
        foreach (var entry in active.Log.Entries)
        {
            standby.Fs.ApplyJournaled(entry.Op);
        }
        Assert.Equal(active.Fs.DumpTree(), standby.Fs.DumpTree());
        var before = standby.Log.Entries.Count;

        Assert.Equal(created.FileId, (await standby.Fs.CreateAsync(create, null, Token)).FileId);
        await standby.Fs.RenameAsync("/source", "/destination", "rename-1", Token);
        Assert.Equal(deleted, await standby.Fs.DeleteAsync("/gone", true, "delete-1", Token));
        Assert.Equal(before, standby.Log.Entries.Count);

        await ThrowsAsync(ErrorKind.FileNotFound, () => standby.Fs.RenameAsync("/source", "/destination", "rename-2", Token));
        await ThrowsAsync(ErrorKind.FileNotFound, () => standby.Fs.DeleteAsync("/gone", true, "delete-2", Token));
        create.ClientRequestId = "create-2";
        await ThrowsAsync(ErrorKind.AlreadyExists, () => standby.Fs.CreateAsync(create, null, Token));
    }

    [Fact]
    public async Task Reloading_the_image_forgets_the_retry_cache()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a");
        await h.Fs.RenameAsync("/a", "/b", "rename-1", Token);
        h.Fs.LoadImage(new ImageHeader(), [], []);
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.Fs.RenameAsync("/a", "/b", "rename-1", Token));
    }

    [Theory]
    [InlineData(0, 0, 0.999, true)]
    [InlineData(0, 1, 0.999, false)]
    [InlineData(999, 1000, 0.999, true)]
    [InlineData(998, 1000, 0.999, false)]
    [InlineData(39, 40, 0.999, false)]
    [InlineData(40, 40, 0.999, true)]
    [InlineData(1, 2, 0.5, true)]
    [InlineData(0, 5, 0, true)]
    public void Safe_mode_threshold(long reported, long total, double threshold, bool reached) =>
        Assert.Equal(reached, SafeMode.ThresholdReached(reported, total, threshold));

    [Fact]
    public void Safe_mode_refuses_writes_with_the_counts_and_leaves_by_itself_after_the_extension()
    {
        var time = new ManualTime();
        var counts = (Total: 40L, Reported: 12L);
        var safeMode = new SafeMode(() => counts, new NameNodeOptions { SafeModeExtensionMs = 1000 }, time, NullLogger.Instance);

        Assert.True(safeMode.IsOn);
        var refused = Assert.Throws<DfsException>(() => safeMode.EnsureWritable("/x"));
        Assert.Equal(ErrorKind.SafeMode, refused.Kind);
        Assert.Equal("/x: NameNode is in safe mode: 12 of 40 blocks reported (threshold 99.9%); writes are refused until it leaves", refused.Message);
        Assert.True(refused.Retriable, "start-up safe mode ends by itself, so clients may wait it out");

        counts = (40, 40);
        Assert.True(safeMode.IsOn);        // threshold reached: the extension starts now
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(safeMode.IsOn);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(safeMode.IsOn);
        safeMode.EnsureWritable("/x");

        counts = (40, 0);
        Assert.False(safeMode.IsOn);       // once left, only a new term enters it again
        safeMode.Enter();
        Assert.True(safeMode.IsOn);
    }

    [Fact]
    public void Safe_mode_entered_by_hand_stays_until_left_by_hand()
    {
        var safeMode = new SafeMode(() => (10, 10), new NameNodeOptions(), new ManualTime(), NullLogger.Instance);
        Assert.False(safeMode.IsOn);
        safeMode.Enter(manual: true);
        Assert.True(safeMode.IsOn);
        var refused = Assert.Throws<DfsException>(() => safeMode.EnsureWritable(null));
        Assert.Contains("entered by an administrator", refused.Message, StringComparison.Ordinal);
        Assert.False(refused.Retriable, "only an administrator ends manual safe mode: clients must not wait for it");
        safeMode.Leave();
        Assert.False(safeMode.IsOn);
    }

    [Fact]
    public void An_empty_namespace_leaves_safe_mode_at_once()
    {
        var safeMode = new SafeMode(() => (0, 0), new NameNodeOptions { SafeModeExtensionMs = 60_000 }, new ManualTime(), NullLogger.Instance);
        Assert.False(safeMode.IsOn);
    }

    [Fact]
    public async Task Safe_mode_counts_complete_blocks_with_a_reported_replica()
    {
        var active = new NamespaceHarness();
        await active.WriteFileAsync("/f", 10, 20, 30);
        Assert.Equal((3L, 3L), active.Fs.CountReportedBlocks());

        // A NameNode that replayed the journal has the blocks but no replica until DataNodes report.
        var replayed = new NamespaceHarness();
        foreach (var entry in active.Log.Entries)
        {
            replayed.Fs.ApplyJournaled(entry.Op);
        }
        Assert.Equal((3L, 0L), replayed.Fs.CountReportedBlocks());
        var block = replayed.Fs.GetBlockLocations("/f", 0, 0).Blocks[0].Block;
        replayed.Received("dn1", block, 10);
        Assert.Equal((3L, 1L), replayed.Fs.CountReportedBlocks());
    }

    [Fact]
    public void Roles_go_from_starting_to_standby_to_active_and_back()
    {
        var state = new NameNodeState(new NameNodeOptions { Id = "nn-a" });
        Assert.Equal(ErrorKind.StandbyNamenode, Assert.Throws<DfsException>(state.EnsureLoaded).Kind);
        Assert.Equal(ErrorKind.StandbyNamenode, Assert.Throws<DfsException>(state.EnsureActive).Kind);

        state.BecomeStandby("standby");
        Assert.Equal("standby", state.RoleName);
        state.EnsureLoaded();
        Assert.Contains("NameNode nn-a is not active (standby)", Assert.Throws<DfsException>(state.EnsureActive).Message, StringComparison.Ordinal);

        state.BecomeActive(5, "http://127.0.0.1:1");
        state.EnsureActive();
        Assert.Equal(5, state.Epoch);

        state.StepDown("fenced");
        Assert.False(state.IsActive);
        Assert.Equal(ErrorKind.StandbyNamenode, Assert.Throws<DfsException>(state.EnsureActive).Kind);

        state.BeginStopping();
        state.BecomeActive(6, "http://127.0.0.1:1");
        Assert.Equal(NameNodeRole.Stopping, state.Role);
    }

    [Fact]
    public async Task Ending_a_term_fails_unacknowledged_mutations_and_a_new_term_journals_again()
    {
        var client = new FakeMetadataClient();
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnAppend = (request, _) => request.Epoch == 1 ? hang.Task : Task.CompletedTask;
        using var writer = new JournalWriter(client, new NameNodeOptions { RetryInitialBackoffMs = 5, RetryMaxBackoffMs = 20 },
            NullLogger<JournalWriter>.Instance, _ => { });
        writer.Start(epoch: 1, lastTxid: 10);
        var pending = writer.SyncAsync(writer.Append(Mkdir(100)), Token);
        Assert.False(pending.IsCompleted);

        writer.StopTerm(new DfsException(ErrorKind.StandbyNamenode, "stepped down"));
        var error = await Assert.ThrowsAsync<DfsException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10), Token));
        Assert.Equal(ErrorKind.StandbyNamenode, error.Kind);
        Assert.Throws<DfsException>(() => writer.Append(Mkdir(101)));

        // Tailing found txid 10 to be the end (the stale entry 11 was never acknowledged).
        writer.Start(epoch: 2, lastTxid: 10);
        var txid = writer.Append(Mkdir(102));
        Assert.Equal(11, txid);
        await writer.SyncAsync(txid, Token).WaitAsync(TimeSpan.FromSeconds(10), Token);
        hang.SetResult();
        var durable = client.AllEntries().Where(e => e.Epoch == 2).ToList();
        Assert.Equal([11L], durable.Select(e => e.Txid));
    }

    [Fact]
    public async Task A_fenced_append_ends_the_term_through_the_callback()
    {
        var client = new FakeMetadataClient
        {
            OnAppend = (_, _) => throw DfsErrors.Create(ErrorKind.Fenced, "epoch 3 < promised 4"),
        };
        var lost = new List<string>();
        using var writer = new JournalWriter(client, new NameNodeOptions(), NullLogger<JournalWriter>.Instance, lost.Add);
        writer.Start(epoch: 3, lastTxid: 0);
        var error = await Assert.ThrowsAsync<DfsException>(() => writer.SyncAsync(writer.Append(Mkdir(2)), Token).WaitAsync(TimeSpan.FromSeconds(10), Token));
        Assert.Equal(ErrorKind.Fenced, error.Kind);
        Assert.Single(lost);
        Assert.Contains("fenced", lost[0], StringComparison.Ordinal);
    }

    [Fact]
    public void On_promotion_queued_commands_are_dropped_and_every_DataNode_reports_again()
    {
        var h = new NamespaceHarness();
        h.DataNodes.QueueDelete("dn1", new BlockRef { BlockId = 5, GenerationStamp = 1 });
        h.DataNodes.ForgetCommandsAndRequestReports();
        Assert.Null(h.DataNodes.Heartbeat(Info("dn1")));
        Assert.True(h.DataNodes.IsUsable("dn1"));
        h.DataNodes.Register(Info("dn1"));
        Assert.Empty(h.DataNodes.Heartbeat(Info("dn1"))!);
    }

    private static NamespaceOp Mkdir(long id) => new() { Mkdir = new MkdirOp { InodeId = id, ParentId = 1, Name = $"d{id}" } };
}
