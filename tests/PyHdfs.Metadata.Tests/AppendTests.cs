using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using static PyHdfs.Metadata.Tests.Ops;

namespace PyHdfs.Metadata.Tests;

public sealed class AppendTests
{
    [Fact]
    public async Task A_fresh_database_holds_the_root_and_the_initial_counters()
    {
        using var fixture = new StoreFixture();

        var image = await Image.LoadAsync(fixture.Store);

        Assert.Equal(0, image.Header.LastTxid);
        Assert.Equal(0, image.Header.PromisedEpoch);
        Assert.Equal(1, image.Header.LastInodeId);
        Assert.Equal(1073741824, image.Header.LastBlockId);
        Assert.Equal(1000, image.Header.LastGenerationStamp);
        Assert.Equal(1, image.Header.InodeCount);
        var root = Assert.Single(image.Inodes.Values);
        Assert.Equal(1, root.Id);
        Assert.Equal(0, root.ParentId);
        Assert.Equal("", root.Name);
        Assert.Equal(InodeKind.Directory, root.Kind);
        Assert.Equal("hdfs", root.Owner);
        Assert.Equal("supergroup", root.Group);
        Assert.Equal(0x1EDu, root.Permission); // 0755
    }

    [Fact]
    public async Task Every_op_kind_is_applied_to_the_tables()
    {
        using var fixture = new StoreFixture();
        var store = fixture.Store;
        var b1 = FirstBlock + 1;
        var b2 = FirstBlock + 2;
        var b3 = FirstBlock + 3;

        var last = await store.AppendAsync(1, Entries(1,
            Mkdir(2, Root, "a"),
            CreateFile(3, 2, "f"),
            AddBlock(3, Block(b1, 1001)),
            AddBlock(3, Block(b2, 1002), previous: Block(b1, 1001, 1024)),
            UpdateBlock(3, Block(b2, 1005, 10)),
            Complete(3, 9_999, Block(b1, 1001, 1024), Block(b2, 1005, 50)),
            SetReplication(3, 3),
            SetPermission(3, 0x180),
            SetOwner(3, "bob", ""),
            Rename(3, Root, "g"),
            CreateFile(4, Root, "h", client: "client-2"),
            AddBlock(4, Block(b3, 1003)),
            AbandonBlock(4, b3)));

        Assert.Equal(13, last);
        var image = await Image.LoadAsync(store);
        var dir = image.Child(Root, "a");
        Assert.Equal(InodeKind.Directory, dir.Kind);
        Assert.Equal(("alice", "staff", 0x1EDu, 1_000L), (dir.Owner, dir.Group, dir.Permission, dir.ModificationTimeMs));

        var file = image.Child(Root, "g");
        Assert.Equal(3, file.Id);
        Assert.Equal(InodeKind.File, file.Kind);
        Assert.False(file.UnderConstruction);
        Assert.Equal("", file.ClientName);
        Assert.Equal(9_999, file.ModificationTimeMs);
        Assert.Equal(3, file.Replication);
        Assert.Equal(1024, file.BlockSize);
        Assert.Equal(0x180u, file.Permission);
        Assert.Equal(("bob", "staff"), (file.Owner, file.Group));
        Assert.DoesNotContain(image.Inodes.Values, i => i.ParentId == 2);

        Assert.Equal(
            [(0, b1, 1001L, 1024L), (1, b2, 1005L, 50L)],
            image.BlocksOf(3).Select(b => (b.Index, b.Block.BlockId, b.Block.GenerationStamp, b.Block.NumBytes)));

        var open = image.Child(Root, "h");
        Assert.True(open.UnderConstruction);
        Assert.Equal("client-2", open.ClientName);
        Assert.Empty(image.BlocksOf(4));

        Assert.Equal(13, image.Header.LastTxid);
        Assert.Equal(4, image.Header.LastInodeId);
        Assert.Equal(b3, image.Header.LastBlockId);
        Assert.Equal(1005, image.Header.LastGenerationStamp);
    }

    [Fact]
    public async Task Delete_removes_the_whole_subtree_and_its_blocks_only()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1,
            Mkdir(2, Root, "d"),
            Mkdir(3, 2, "e"),
            CreateFile(4, 3, "f"),
            AddBlock(4, Block(FirstBlock + 1, 1001)),
            CreateFile(5, 2, "g"),
            AddBlock(5, Block(FirstBlock + 2, 1001)),
            Mkdir(6, Root, "keep"),
            CreateFile(7, 6, "k"),
            AddBlock(7, Block(FirstBlock + 3, 1001))));

        await fixture.Store.AppendAsync(1, Entries(10, Delete(2)));

        var image = await Image.LoadAsync(fixture.Store);
        Assert.Equal([1L, 6L, 7L], image.Inodes.Keys.Order());
        Assert.Equal([FirstBlock + 3], image.Blocks.Select(b => b.Block.BlockId));
        Assert.Equal(3, image.Header.InodeCount);
        Assert.Equal(1, image.Header.BlockCount);
    }

    [Fact]
    public async Task A_gap_in_txids_is_refused_with_a_clear_message()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a")));

        var error = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(3, Mkdir(3, Root, "b"))));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("gap", error.Message);
        Assert.Contains("next txid is 2", error.Message);
        Assert.Equal(1, fixture.Store.LastTxid);
    }

    [Fact]
    public async Task Non_contiguous_txids_inside_a_batch_are_refused()
    {
        using var fixture = new StoreFixture();
        var entries = Entries(1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b"));
        entries[1].Txid = 3;

        var error = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, entries));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("not contiguous", error.Message);
        Assert.Equal(0, fixture.Store.LastTxid);
    }

    [Fact]
    public async Task A_retried_batch_is_accepted_again_without_effect()
    {
        using var fixture = new StoreFixture();
        var batch = Entries(1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b"));
        await fixture.Store.AppendAsync(1, batch);

        var again = await fixture.Store.AppendAsync(1, batch);

        Assert.Equal(2, again);
        Assert.Equal(3, (await Image.LoadAsync(fixture.Store)).Inodes.Count);
    }

    [Fact]
    public async Task A_batch_overlapping_committed_entries_applies_only_the_new_ones()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a")));

        var last = await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b")));

        Assert.Equal(2, last);
        Assert.Equal([1L, 2L, 3L], (await Image.LoadAsync(fixture.Store)).Inodes.Keys.Order());
    }

    [Fact]
    public async Task A_committed_txid_with_a_different_op_is_refused()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a")));

        var error = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "other"))));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("txid 1 is already committed with a different op", error.Message);
    }

    [Fact]
    public async Task A_constraint_violation_fails_the_whole_batch_and_applies_nothing()
    {
        using var fixture = new StoreFixture();

        var error = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(1,
            Mkdir(2, Root, "a"),
            Mkdir(3, Root, "x"),
            Mkdir(4, Root, "x"))));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("txid 3", error.Message);
        Assert.Contains("UNIQUE", error.Message);
        Assert.Equal(0, fixture.Store.LastTxid);
        var image = await Image.LoadAsync(fixture.Store);
        Assert.Single(image.Inodes);
        Assert.Equal(0, image.Header.LastTxid);
        Assert.Equal(1, image.Header.LastInodeId);
        Assert.Empty(await fixture.Store.ReadJournalAsync(1, follow: false).ToListAsync());

        // The same txids are still free for a correct batch.
        Assert.Equal(1, await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a"))));
    }

    [Fact]
    public async Task Ops_on_missing_inodes_or_under_files_are_refused()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, CreateFile(2, Root, "f")));

        var underFile = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(2, Mkdir(3, 2, "d"))));
        var missing = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(2, SetReplication(99, 3))));
        var root = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(2, Delete(Root))));

        Assert.Equal(ErrorKind.NotADirectory, underFile.Kind);
        Assert.Contains("99", missing.Message);
        Assert.Contains("root", root.Message);
        Assert.Equal(1, fixture.Store.LastTxid);
    }

    [Fact]
    public async Task Renaming_a_directory_into_its_own_subtree_is_refused()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.AppendAsync(1, Entries(1, Mkdir(2, Root, "a"), Mkdir(3, 2, "b")));

        var error = await Assert.ThrowsAsync<DfsException>(() => fixture.Store.AppendAsync(1, Entries(3, Rename(2, 3, "a"))));

        Assert.Equal(ErrorKind.MoveIntoSelf, error.Kind);
    }
}
