using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.AppendTests;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

/// <summary>Truncate: beyond the end, at the end, on a block boundary, inside a block (rewrite of the kept part).</summary>
public sealed class TruncateTests
{
    private static readonly CancellationToken Token = CancellationToken.None;

    private static Task<TruncateResponse> TruncateAsync(NamespaceHarness h, string path, long length, string client = Client) =>
        h.Fs.TruncateAsync(path, length, client, h.As(User), Token);

    [Fact]
    public async Task Beyond_the_end_is_refused_and_at_the_end_is_a_no_op()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 100);
        var entries = h.Log.Entries.Count;
        var e = await ThrowsAsync(ErrorKind.InvalidArgument, () => TruncateAsync(h, "/f", 101));
        Assert.Equal("/f: cannot truncate to 101 bytes: the file is only 100 bytes long", e.Message);
        await ThrowsAsync(ErrorKind.InvalidArgument, () => TruncateAsync(h, "/f", -1));
        Assert.Contains("/nope", (await ThrowsAsync(ErrorKind.FileNotFound, () => TruncateAsync(h, "/nope", 0))).Message);
        await h.MkdirsAsync("/d");
        await ThrowsAsync(ErrorKind.IsADirectory, () => TruncateAsync(h, "/d", 0));

        var same = await TruncateAsync(h, "/f", 100);
        Assert.True(same.Completed);
        Assert.Equal(100, same.Status.Length);
        Assert.Equal(entries + 1, h.Log.Entries.Count); // only the mkdir
    }

    [Fact]
    public async Task On_a_block_boundary_the_later_blocks_are_dropped_and_their_replicas_deleted()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", BlockSize, BlockSize, 10);
        var dropped = h.Fs.GetBlockLocations("/f", 0, 0).Blocks.Skip(1).Select(b => b.Block.BlockId).ToList();

        var response = await TruncateAsync(h, "/f", BlockSize);

        Assert.True(response.Completed);
        Assert.Equal(BlockSize, response.Status.Length);
        Assert.Equal(1, h.Fs.GetFileInfo("/f").BlockCount);
        Assert.All(dropped, id => Assert.Null(h.Fs.Blocks.Get(id)));
        Assert.Equal(4, new[] { "dn1", "dn2", "dn3" }.Sum(h.DataNodes.PendingDeleteCount));
        Assert.Equal(NamespaceOp.OpOneofCase.Truncate, h.Log.Kinds()[^1]);
        Assert.True(h.Fs.Fsck("/").Healthy);

        Assert.True((await TruncateAsync(h, "/f", 0)).Completed);
        Assert.Equal(0, h.Fs.GetFileInfo("/f").Length);
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Replay(h).Fs.DumpTree());
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Reload(h).Fs.DumpTree());
    }

    [Fact]
    public async Task Inside_a_block_the_kept_part_is_rewritten_and_replaces_the_old_tail_at_complete()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", BlockSize, 100, BlockSize);
        var old = h.Fs.GetBlockLocations("/f", 0, 0).Blocks.Select(b => b.Block.BlockId).ToList();

        var response = await TruncateAsync(h, "/f", BlockSize + 40);

        Assert.False(response.Completed);
        Assert.Equal(BlockSize, response.RewriteOffset);
        // Until the rewrite completes the file is what it was.
        Assert.Equal(2 * BlockSize + 100, h.Fs.GetFileInfo("/f").Length);
        await ThrowsAsync(ErrorKind.LeaseConflict, () => AppendAsync(h, "/f", client: "other"));
        // The same request again (a lost answer) gets the same answer.
        var again = await TruncateAsync(h, "/f", BlockSize + 40);
        Assert.False(again.Completed);
        Assert.Equal(BlockSize, again.RewriteOffset);

        var rewritten = await StoreBlockAsync(h, "/f", id, null, 40);
        Assert.Equal(2 * BlockSize + 100, h.Fs.GetFileInfo("/f").Length);
        foreach (var other in new[] { NamespaceImage.Replay(h), NamespaceImage.Reload(h) })
        {
            Assert.Equal(h.Fs.DumpTree(), other.Fs.DumpTree());
        }
        Assert.True(await h.CompleteAsync("/f", id, rewritten));

        var blocks = h.Fs.GetBlockLocations("/f", 0, 0).Blocks;
        Assert.Equal([old[0], rewritten.BlockId], blocks.Select(b => b.Block.BlockId));
        Assert.Equal([0, BlockSize], blocks.Select(b => b.Offset));
        Assert.Equal(BlockSize + 40, h.Fs.GetFileInfo("/f").Length);
        Assert.Null(h.Fs.Blocks.Get(old[1]));
        Assert.Null(h.Fs.Blocks.Get(old[2]));
        Assert.True(h.Fs.Fsck("/").Healthy);
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Replay(h).Fs.DumpTree());
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Reload(h).Fs.DumpTree());
    }

    [Fact]
    public async Task An_abandoned_rewrite_loses_nothing()
    {
        var h = new NamespaceHarness();
        var id = await h.WriteFileAsync("/f", BlockSize, 100);
        var before = h.Fs.DumpTree();
        Assert.False((await TruncateAsync(h, "/f", 50)).Completed);
        var rewritten = await StoreBlockAsync(h, "/f", id, null, 50);

        h.Time.Advance(TimeSpan.FromMilliseconds(h.Options.LeaseHardLimitMs + 1));
        Assert.Equal(["/f"], await h.Fs.ExpireLeasesAsync(Token));

        Assert.Equal(BlockSize + 100, h.Fs.GetFileInfo("/f").Length);
        Assert.Null(h.Fs.Blocks.Get(rewritten.BlockId));
        Assert.Equal(StripCounters(before), StripCounters(h.Fs.DumpTree()));
        Assert.Equal(h.Fs.DumpTree(), NamespaceImage.Replay(h).Fs.DumpTree());
    }

    [Fact]
    public async Task A_cut_inside_the_first_block_needs_a_client_name()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 100);
        await ThrowsAsync(ErrorKind.InvalidArgument, () => TruncateAsync(h, "/f", 10, client: ""));
        Assert.True((await TruncateAsync(h, "/f", 0, client: "")).Completed);
    }
}
