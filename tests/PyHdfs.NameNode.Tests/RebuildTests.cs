using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.NameNode.Tests;

/// <summary>The journal and the image must rebuild exactly the tree the live NameNode had.</summary>
public sealed class RebuildTests
{
    private static async Task<NamespaceHarness> BusyNamespaceAsync()
    {
        var h = new NamespaceHarness();
        await h.MkdirsAsync("/a/b/c");
        await h.WriteFileAsync("/a/b/f1", NamespaceHarness.BlockSize, 17);
        await h.WriteFileAsync("/a/f2", 5);
        await h.WriteFileAsync("/tmp/x", 9);
        await h.Fs.RenameAsync("/a/f2", "/a/b/c/f2", null, CancellationToken.None);
        await h.Fs.DeleteAsync("/tmp", true, null, CancellationToken.None);
        await h.CreateAsync("/a/f3", overwrite: true);
        var open = await h.CreateAsync("/a/open", client: "writer-2");
        var block = await h.AddBlockAsync("/a/open", open.FileId, client: "writer-2");
        await h.Fs.AbandonBlockAsync(new Protocol.NameNode.AbandonBlockRequest
        {
            Path = "/a/open", ClientName = "writer-2", FileId = open.FileId, Block = block.Block.Block,
        }, CancellationToken.None);
        await h.AddBlockAsync("/a/open", open.FileId, client: "writer-2");
        await h.WriteFileAsync("/a/over", 3);
        await h.CreateAsync("/a/over", client: "writer-3", overwrite: true);
        await h.Fs.SetReplicationAsync("/a/b/f1", 3, CancellationToken.None);
        await h.MkdirsAsync("/z");
        await h.Fs.RenameAsync("/a/b", "/z/b", null, CancellationToken.None);
        return h;
    }

    [Fact]
    public async Task Replaying_the_journal_on_an_empty_namespace_gives_the_identical_tree()
    {
        var live = await BusyNamespaceAsync();
        var replica = new NamespaceHarness();
        foreach (var entry in live.Log.Entries)
        {
            replica.Fs.ApplyJournaled(entry.Op);
        }
        Assert.Equal(live.Fs.DumpTree(), replica.Fs.DumpTree());
        Assert.Contains("/z/b/c/f2", replica.Fs.DumpTree());
        Assert.Equal(Enumerable.Range(1, live.Log.Entries.Count).Select(i => (long)i), live.Log.Entries.Select(e => e.Txid));
    }

    [Fact]
    public async Task Loading_an_image_in_any_order_gives_the_identical_tree_and_continues_the_counters()
    {
        var live = await BusyNamespaceAsync();
        var (inodes, blocks) = NamespaceImage.Of(live.Fs);
        var random = new Random(7);
        var header = new ImageHeader
        {
            LastTxid = live.Log.LastTxid,
            LastInodeId = live.Fs.LastInodeId,
            LastBlockId = live.Fs.LastBlockId,
            LastGenerationStamp = live.Fs.LastGenerationStamp,
        };
        var loaded = new NamespaceHarness();
        loaded.Fs.LoadImage(header, inodes.OrderBy(_ => random.Next()).ToList(), blocks.OrderBy(_ => random.Next()).ToList());

        Assert.Equal(live.Fs.DumpTree(), loaded.Fs.DumpTree());
        Assert.Equal(live.Fs.Leases.Count, loaded.Fs.Leases.Count);

        var status = await loaded.CreateAsync("/new");
        Assert.Equal(header.LastInodeId + 1, status.FileId);
        var block = await loaded.AddBlockAsync("/new", status.FileId);
        Assert.Equal(header.LastBlockId + 1, block.Block.Block.BlockId);
        Assert.Equal(header.LastGenerationStamp + 1, block.Block.Block.GenerationStamp);
    }

    [Fact]
    public void Loading_an_empty_image_gives_a_root_and_the_initial_counters()
    {
        var h = new NamespaceHarness();
        h.Fs.LoadImage(new ImageHeader(), [], []);
        Assert.Equal(1, h.Fs.LastInodeId);
        Assert.Equal((1L << 30) - 1, h.Fs.LastBlockId);
        Assert.Equal(Protocol.NameNode.FileType.Directory, h.Fs.GetFileInfo("/").Type);
    }

    [Fact]
    public void An_image_with_an_orphan_inode_is_refused()
    {
        var h = new NamespaceHarness();
        var orphan = new InodeRecord { Id = 5, ParentId = 99, Name = "x", Kind = InodeKind.Directory };
        Assert.Throws<InvalidOperationException>(() => h.Fs.LoadImage(new ImageHeader(), [orphan], []));
    }
}
