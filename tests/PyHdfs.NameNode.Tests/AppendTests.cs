using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

/// <summary>Append with NEW_BLOCK semantics: old content visible until complete, new blocks after a short last block, reverts.</summary>
public sealed class AppendTests
{
    private static readonly CancellationToken Token = CancellationToken.None;

    internal static Task<FileStatus> AppendAsync(NamespaceHarness h, string path, string client = Client) =>
        h.Fs.AppendAsync(path, client, h.As(User), Token);

    /// <summary>AddBlock after <paramref name="previous"/>; every target stores the replica with <paramref name="length"/> bytes.</summary>
    internal static async Task<BlockRef> StoreBlockAsync(NamespaceHarness h, string path, long fileId, BlockRef? previous, long length, string client = Client)
    {
        var added = await h.AddBlockAsync(path, fileId, previous, client);
        foreach (var target in added.Block.Locations)
        {
            h.Received(target.Id, added.Block.Block, length);
        }
        var stored = added.Block.Block.Clone();
        stored.NumBytes = length;
        return stored;
    }

    [Fact]
    public async Task The_appended_bytes_go_into_new_blocks_and_become_visible_at_complete()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", BlockSize, 100);
        var before = h.Fs.GetBlockLocations("/f", 0, 0).Blocks.Select(b => b.Block.Clone()).ToList();

        var reopened = await AppendAsync(h, "/f");
        Assert.Equal(id, reopened.FileId);
        Assert.Equal(BlockSize + 100, reopened.Length);
        var first = await StoreBlockAsync(h, "/f", id, null, BlockSize);
        var second = await StoreBlockAsync(h, "/f", id, first, 50);

        // Until complete, readers see exactly the old file.
        Assert.Equal(BlockSize + 100, h.Fs.GetFileInfo("/f").Length);
        Assert.Equal(2, h.Fs.GetFileInfo("/f").BlockCount);
        Assert.Equal(before, h.Fs.GetBlockLocations("/f", 0, 0).Blocks.Select(b => b.Block));
        Assert.Single(h.Fs.GetListing("/", null, 0).Entries, e => e.Name == "f");

        Assert.True(await h.CompleteAsync("/f", id, second));
        var status = h.Fs.GetFileInfo("/f");
        Assert.Equal(2 * BlockSize + 150, status.Length);
        Assert.Equal(4, status.BlockCount);
        var blocks = h.Fs.GetBlockLocations("/f", 0, 0).Blocks;
        // The old last block (100 bytes) stays as it was, in the middle of the file: offsets are sums, not index x block size.
        Assert.Equal([0, BlockSize, BlockSize + 100, 2 * BlockSize + 100], blocks.Select(b => b.Offset));
        Assert.Equal([BlockSize, 100, BlockSize, 50], blocks.Select(b => b.Block.NumBytes));
        Assert.Equal(before, blocks.Take(2).Select(b => b.Block));
        Assert.All(blocks, b => Assert.NotEmpty(b.Locations));

        // A range inside the third block finds it at its real offset.
        var ranged = h.Fs.GetBlockLocations("/f", BlockSize + 150, 10).Blocks;
        Assert.Equal(first.BlockId, Assert.Single(ranged).Block.BlockId);
        Assert.Equal(BlockSize + 100, ranged[0].Offset);
        var tail = h.Fs.GetBlockLocations("/f", BlockSize + 99, 2).Blocks;
        Assert.Equal([BlockSize, BlockSize + 100], tail.Select(b => b.Offset));

        var fsck = h.Fs.Fsck("/");
        Assert.True(fsck.Healthy);
        Assert.Equal(4, fsck.TotalBlocks);
        Assert.Equal(2 * BlockSize + 150, h.Fs.GetContentSummary("/").Length);
        Assert.Contains(NamespaceOp.OpOneofCase.ReopenFile, h.Log.Kinds());
    }

    [Fact]
    public async Task An_append_of_nothing_and_an_append_to_an_empty_file_work()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/empty");
        await AppendAsync(h, "/empty");
        var block = await StoreBlockAsync(h, "/empty", id, null, 7);
        Assert.True(await h.CompleteAsync("/empty", id, block));
        Assert.Equal(7, h.Fs.GetFileInfo("/empty").Length);

        await AppendAsync(h, "/empty");
        Assert.True(await h.CompleteAsync("/empty", id, null));
        Assert.Equal(7, h.Fs.GetFileInfo("/empty").Length);
        Assert.Equal(1, h.Fs.GetFileInfo("/empty").BlockCount);
    }

    [Fact]
    public async Task Append_names_the_path_and_the_cause_of_every_refusal()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/d");
        await h.WriteFileAsync("/f", 10);
        var missing = await ThrowsAsync(ErrorKind.FileNotFound, () => AppendAsync(h, "/nope"));
        Assert.Contains("/nope", missing.Message);
        Assert.Contains("/d", (await ThrowsAsync(ErrorKind.IsADirectory, () => AppendAsync(h, "/d"))).Message);
        await ThrowsAsync(ErrorKind.InvalidArgument, () => AppendAsync(h, "/f", client: ""));

        // A file being created by someone else.
        await h.CreateAsync("/new", client: "writer-2");
        var creating = await ThrowsAsync(ErrorKind.LeaseConflict, () => AppendAsync(h, "/new"));
        Assert.Contains("writer-2", creating.Message);

        // A file being appended to by someone else: no second writer, neither append nor overwrite nor truncate.
        await AppendAsync(h, "/f", client: "writer-3");
        var appending = await ThrowsAsync(ErrorKind.LeaseConflict, () => AppendAsync(h, "/f"));
        Assert.Equal("/f: is being written by writer-3", appending.Message);
        await ThrowsAsync(ErrorKind.LeaseConflict, () => h.CreateAsync("/f", overwrite: true));
        await ThrowsAsync(ErrorKind.LeaseConflict, () => h.Fs.TruncateAsync("/f", 0, Client, null, Token));
        // The holder asking again (a lost answer) gets the same reopened file.
        Assert.Equal(10, (await AppendAsync(h, "/f", client: "writer-3")).Length);
        Assert.Single(h.Log.Kinds(), k => k == NamespaceOp.OpOneofCase.ReopenFile);
    }

    [Fact]
    public async Task An_abandoned_append_leaves_the_old_content_and_deletes_the_new_replicas()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", BlockSize, 10);
        var before = h.Fs.DumpTree();
        await AppendAsync(h, "/f");
        var added = await StoreBlockAsync(h, "/f", id, null, 99);

        await h.Fs.AbandonFileAsync(new AbandonFileRequest { Path = "/f", ClientName = Client, FileId = id }, Token);

        Assert.Equal(BlockSize + 10, h.Fs.GetFileInfo("/f").Length);
        Assert.Null(h.Fs.Blocks.Get(added.BlockId));
        Assert.Equal(2, new[] { "dn1", "dn2", "dn3" }.Sum(h.DataNodes.PendingDeleteCount)); // the new block's two replicas
        Assert.Equal(0, h.Fs.Leases.Count);
        Assert.Equal(StripCounters(before), StripCounters(h.Fs.DumpTree()));
        // Another client may append now.
        await AppendAsync(h, "/f", client: "writer-2");
    }

    [Fact]
    public async Task A_crashed_appender_is_reverted_when_its_lease_expires()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", 10);
        await AppendAsync(h, "/f", client: "crashed");
        var block = await StoreBlockAsync(h, "/f", id, null, 5, client: "crashed");

        h.Time.Advance(TimeSpan.FromMilliseconds(h.Options.LeaseHardLimitMs + 1));
        Assert.Equal(["/f"], await h.Fs.ExpireLeasesAsync(Token));

        var status = h.Fs.GetFileInfo("/f");
        Assert.Equal(10, status.Length);
        Assert.Equal(1, status.BlockCount);
        Assert.Null(h.Fs.Blocks.Get(block.BlockId));
        Assert.Equal(NamespaceOp.OpOneofCase.RevertReopen, h.Log.Kinds()[^1]);
        await AppendAsync(h, "/f", client: "next");

        // The revert is journaled: a standby and a restart see the same file.
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Replay(h).Fs.DumpTree());
    }

    [Fact]
    public async Task Old_blocks_of_a_file_being_appended_stay_under_replication_and_fsck()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", 10);
        await AppendAsync(h, "/f");
        await StoreBlockAsync(h, "/f", id, null, 5);
        var fsck = h.Fs.Fsck("/f");
        Assert.Equal(1, fsck.TotalBlocks);
        Assert.True(fsck.Healthy);
        var old = h.Fs.Blocks.Get(h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0].Block.BlockId)!;
        Assert.False(old.File.IsBeingWritten(old));
    }

    [Fact]
    public async Task A_standby_and_a_restart_see_an_append_in_progress_and_its_completion()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", BlockSize, 3);
        await AppendAsync(h, "/f");
        var first = await StoreBlockAsync(h, "/f", id, null, BlockSize);

        foreach (var other in new[] { NamespaceImage.Replay(h), NamespaceImage.Reload(h) })
        {
            Assert.Equal(h.Fs.DumpTree(), other.Fs.DumpTree());
            Assert.Equal(BlockSize + 3, other.Fs.GetFileInfo("/f").Length);
            Assert.Contains("reopened=2/2", other.Fs.DumpTree());
        }

        // The writer goes on against the restarted NameNode.
        var restarted = NamespaceImage.Reload(h);
        foreach (var node in new[] { "dn1", "dn2", "dn3" })
        {
            // What the DataNode holds: the appended block in full (the NameNode learns its length at the next AddBlock).
            restarted.Fs.FullBlockReport(node, h.Fs.Blocks.All.Where(b => b.HasReplicaOn(node))
                .Select(b => b.BlockId == first.BlockId ? first : b.ToRef()).ToList());
        }
        var second = await StoreBlockAsync(restarted, "/f", id, first, 1);
        Assert.True(await restarted.CompleteAsync("/f", id, second));
        Assert.Equal(2 * BlockSize + 4, restarted.Fs.GetFileInfo("/f").Length);
        // A standby that tailed the whole journal (before and after the restart) agrees.
        var standby = NamespaceImage.Replay(h);
        foreach (var entry in restarted.Log.Entries)
        {
            standby.Fs.ApplyJournaled(entry.Op);
        }
        Assert.Equal(AppendTests.StripCounters(restarted.Fs.DumpTree()), AppendTests.StripCounters(standby.Fs.DumpTree()));
        Assert.Equal(restarted.Fs.DumpTree(), NamespaceImage.Reload(restarted).Fs.DumpTree());
    }

    /// <summary>The tree without the counters line (ids move on even when the tree comes back).</summary>
    internal static string StripCounters(string dump) => dump[(dump.IndexOf('\n') + 1)..];
}
