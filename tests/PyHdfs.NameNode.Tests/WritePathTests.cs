using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class WritePathTests
{
    [Fact]
    public async Task Add_block_allocates_ids_from_two_to_the_thirty_and_stamps_from_one_thousand()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        Assert.Equal(1L << 30, added.Block.Block.BlockId);
        Assert.Equal(1000, added.Block.Block.GenerationStamp);
        Assert.Equal(2, added.ExpectedReplicas);
        Assert.Equal(2, added.Block.Locations.Select(l => l.Id).Distinct().Count());
        Assert.Equal(NamespaceOp.OpOneofCase.AddBlock, h.Log.Entries[^1].Op.OpCase);
    }

    [Fact]
    public async Task Add_block_checks_the_lease_holder()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f", client: "owner");
        var e = await ThrowsAsync(ErrorKind.LeaseConflict, () => h.AddBlockAsync("/f", status.FileId, client: "intruder"));
        Assert.Contains("owner", e.Message);
        await h.WriteFileAsync("/done", 1);
        await ThrowsAsync(ErrorKind.LeaseConflict, () => h.AddBlockAsync("/done", 0));
        await ThrowsAsync(ErrorKind.FileNotFound, () => h.AddBlockAsync("/none", 0));
    }

    [Fact]
    public async Task Add_block_records_the_previous_length_and_requires_the_right_previous_block()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var first = await h.AddBlockAsync("/f", status.FileId);
        var previous = first.Block.Block.Clone();
        previous.NumBytes = BlockSize;
        var second = await h.AddBlockAsync("/f", status.FileId, previous);
        Assert.Equal(BlockSize, second.Block.Offset);
        Assert.Equal(BlockSize, h.Log.Entries[^1].Op.AddBlock.Previous.NumBytes);

        var wrong = new BlockRef { BlockId = 12345, GenerationStamp = 1 };
        await ThrowsAsync(ErrorKind.InvalidArgument, () => h.AddBlockAsync("/f", status.FileId, wrong));
    }

    [Fact]
    public async Task A_retried_add_block_returns_the_block_already_allocated()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var first = await h.AddBlockAsync("/f", status.FileId);
        var entries = h.Log.Entries.Count;
        var retried = await h.AddBlockAsync("/f", status.FileId);
        Assert.Equal(first.Block.Block.BlockId, retried.Block.Block.BlockId);
        Assert.Equal(entries, h.Log.Entries.Count);
    }

    [Fact]
    public async Task Add_block_without_enough_datanodes_names_the_file_and_the_counts()
    {
        var h = new NamespaceHarness(dataNodes: 1);
        var status = await h.CreateAsync("/x");
        var e = await ThrowsAsync(ErrorKind.NotEnoughDatanodes, () => h.AddBlockAsync("/x", status.FileId, null, Client, "dn1"));
        Assert.StartsWith("cannot place a block of /x: 1 live DataNode, 0 eligible", e.Message);
        Assert.Single(h.Log.Entries); // nothing journaled for the failed allocation
    }

    [Fact]
    public async Task With_fewer_datanodes_than_the_factor_the_write_is_degraded()
    {
        var h = new NamespaceHarness(dataNodes: 1);
        var status = await h.CreateAsync("/x", replication: 3);
        var added = await h.AddBlockAsync("/x", status.FileId);
        Assert.Equal(3, added.ExpectedReplicas);
        Assert.Single(added.Block.Locations);
    }

    [Fact]
    public async Task Complete_refuses_until_min_replication_with_the_expected_length()
    {
        var h = new NamespaceHarness(configure: o => o.MinReplication = 2);
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        var last = added.Block.Block.Clone();
        last.NumBytes = 300;
        var targets = added.Block.Locations.Select(l => l.Id).ToList();

        Assert.False(await h.CompleteAsync("/f", status.FileId, last));
        h.Received(targets[0], last, 300);
        Assert.False(await h.CompleteAsync("/f", status.FileId, last));
        h.Received(targets[1], last, 299); // wrong length: does not count
        Assert.False(await h.CompleteAsync("/f", status.FileId, last));
        Assert.DoesNotContain(h.Log.Entries, e => e.Op.OpCase == NamespaceOp.OpOneofCase.CompleteFile);
        Throws(ErrorKind.FileNotFound, () => h.Fs.GetFileInfo("/f"));
        Assert.Equal(1, h.DataNodes.PendingDeleteCount(targets[1]));

        h.Received(targets[1], last, 300);
        Assert.True(await h.CompleteAsync("/f", status.FileId, last));
        var op = h.Log.Entries[^1].Op.CompleteFile;
        Assert.Equal(300, op.Blocks.Single().NumBytes);
        Assert.Equal(300, h.Fs.GetFileInfo("/f").Length);
        Assert.Equal(0, h.Fs.Leases.Count);
        Assert.True(await h.CompleteAsync("/f", status.FileId, last)); // a retry after a lost answer
    }

    [Fact]
    public async Task Complete_counts_replicas_reported_before_the_length_was_known()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        h.Received(added.Block.Locations[0].Id, added.Block.Block, 77);
        var last = added.Block.Block.Clone();
        last.NumBytes = 77;
        Assert.True(await h.CompleteAsync("/f", status.FileId, last));
    }

    [Fact]
    public async Task Complete_only_counts_live_replicas_and_checks_every_block()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var first = await h.AddBlockAsync("/f", status.FileId);
        var previous = first.Block.Block.Clone();
        previous.NumBytes = BlockSize;
        var second = await h.AddBlockAsync("/f", status.FileId, previous);
        var last = second.Block.Block.Clone();
        last.NumBytes = 5;
        foreach (var l in second.Block.Locations)
        {
            h.Received(l.Id, last, 5);
        }
        Assert.False(await h.CompleteAsync("/f", status.FileId, last)); // the first block has no replica
        var node = first.Block.Locations[0].Id;
        h.Received(node, previous, BlockSize);
        h.KillDataNode(node);
        Assert.False(await h.CompleteAsync("/f", status.FileId, last)); // its only replica is on a dead node
        h.Received(first.Block.Locations[1].Id, previous, BlockSize);
        Assert.True(await h.CompleteAsync("/f", status.FileId, last));
    }

    [Fact]
    public async Task Complete_checks_the_lease_and_the_last_block()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        await ThrowsAsync(ErrorKind.LeaseConflict, () => h.CompleteAsync("/f", status.FileId, added.Block.Block, client: "other"));
        await ThrowsAsync(ErrorKind.InvalidArgument, () => h.CompleteAsync("/f", status.FileId, null));
    }

    [Fact]
    public async Task Abandon_block_forgets_the_last_block_and_its_replicas()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        var node = added.Block.Locations[0].Id;
        h.Received(node, added.Block.Block, 10);
        await h.Fs.AbandonBlockAsync(new Protocol.NameNode.AbandonBlockRequest
        {
            Path = "/f", ClientName = Client, FileId = status.FileId, Block = added.Block.Block,
        }, CancellationToken.None);
        Assert.Null(h.Fs.Blocks.Get(added.Block.Block.BlockId));
        Assert.Equal(1, h.DataNodes.PendingDeleteCount(node));
        var again = await h.AddBlockAsync("/f", status.FileId, null, Client, node);
        Assert.NotEqual(added.Block.Block.BlockId, again.Block.Block.BlockId);
        Assert.DoesNotContain(again.Block.Locations, l => l.Id == node);
    }

    [Fact]
    public async Task Abandon_file_removes_it_and_frees_the_name()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        await h.AddBlockAsync("/f", status.FileId);
        await h.Fs.AbandonFileAsync(new Protocol.NameNode.AbandonFileRequest { Path = "/f", ClientName = Client, FileId = status.FileId }, CancellationToken.None);
        Assert.Equal(0, h.Fs.Blocks.Count);
        await h.CreateAsync("/f", client: "another");
    }

    [Fact]
    public async Task The_writer_keeps_its_file_across_a_rename_by_file_id()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/d/f", createParent: true);
        await h.Fs.RenameAsync("/d", "/e", null, CancellationToken.None);
        var added = await h.AddBlockAsync("/d/f", status.FileId);
        var last = added.Block.Block.Clone();
        last.NumBytes = 1;
        h.Received(added.Block.Locations[0].Id, last, 1);
        Assert.True(await h.CompleteAsync("/d/f", status.FileId, last));
        Assert.Equal(1, h.Fs.GetFileInfo("/e/f").Length);
    }

    [Fact]
    public async Task Expired_leases_remove_the_file_and_collect_its_blocks_but_renewed_ones_stay()
    {
        var h = new NamespaceHarness(configure: o => o.LeaseHardLimitMs = 1000);
        var silent = await h.CreateAsync("/silent", client: "silent");
        var added = await h.AddBlockAsync("/silent", silent.FileId, client: "silent");
        h.Received(added.Block.Locations[0].Id, added.Block.Block, 3);
        await h.CreateAsync("/alive", client: "alive");

        h.Time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(h.Fs.RenewLease("alive"));
        Assert.False(h.Fs.RenewLease("unknown"));
        h.Time.Advance(TimeSpan.FromMilliseconds(600));
        var removed = await h.Fs.ExpireLeasesAsync(CancellationToken.None);

        Assert.Equal(["/silent"], removed);
        Assert.Equal(NamespaceOp.OpOneofCase.Delete, h.Log.Entries[^1].Op.OpCase);
        Assert.Equal(0, h.Fs.Blocks.Count);
        Assert.Equal(1, h.DataNodes.PendingDeleteCount(added.Block.Locations[0].Id));
        await ThrowsAsync(ErrorKind.LeaseConflict, () => h.CreateAsync("/alive", client: "x"));
        await h.CreateAsync("/silent", client: "x");
    }
}
