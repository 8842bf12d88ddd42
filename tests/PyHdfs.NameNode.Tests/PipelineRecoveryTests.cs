using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

/// <summary>UpdateBlockForPipeline and UpdatePipeline: new generation stamps for a block being written.</summary>
public sealed class PipelineRecoveryTests
{
    private static Task<LocatedBlock> NewStampAsync(NamespaceHarness h, string path, long fileId, BlockRef block, string client = Client) =>
        h.Fs.UpdateBlockForPipelineAsync(new UpdateBlockForPipelineRequest { Path = path, FileId = fileId, ClientName = client, Block = block }, CancellationToken.None);

    private static void UpdatePipeline(NamespaceHarness h, string path, long fileId, BlockRef oldBlock, BlockRef newBlock, params string[] nodes)
    {
        var request = new UpdatePipelineRequest { Path = path, FileId = fileId, ClientName = Client, OldBlock = oldBlock, NewBlock = newBlock };
        request.DatanodeIds.AddRange(nodes);
        h.Fs.UpdatePipeline(request);
    }

    [Fact]
    public async Task A_new_stamp_is_journaled_and_replicas_of_the_old_stamp_no_longer_count()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        var old = added.Block.Block.Clone();
        h.Received("dn1", old, 100);

        var located = await NewStampAsync(h, "/f", status.FileId, old);

        Assert.Equal(old.BlockId, located.Block.BlockId);
        Assert.Equal(old.GenerationStamp + 1, located.Block.GenerationStamp);
        Assert.Equal(NamespaceOp.OpOneofCase.UpdateBlock, h.Log.Entries[^1].Op.OpCase);
        Assert.Equal(located.Block.GenerationStamp, h.Log.Entries[^1].Op.UpdateBlock.Block.GenerationStamp);
        Assert.Equal(0, h.Fs.Blocks.Get(old.BlockId)!.ReplicaCount);

        // A late report of the old stamp is stale: not counted, deleted on its node.
        h.Received("dn2", old, 100);
        Assert.Equal(0, h.Fs.Blocks.Get(old.BlockId)!.ReplicaCount);
        Assert.Equal(1, h.DataNodes.PendingDeleteCount("dn2"));

        var recovered = located.Block.Clone();
        recovered.NumBytes = 64;
        UpdatePipeline(h, "/f", status.FileId, old, recovered, "dn1");
        var last = located.Block.Clone();
        last.NumBytes = 300;
        Assert.False(await h.CompleteAsync("/f", status.FileId, last));
        h.Received("dn1", last, 300);
        Assert.True(await h.CompleteAsync("/f", status.FileId, last));
        Assert.Equal(300, h.Fs.GetFileInfo("/f").Length);
    }

    [Fact]
    public async Task A_restarted_namenode_never_hands_out_a_stamp_twice()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        var located = await NewStampAsync(h, "/f", status.FileId, added.Block.Block);

        var restarted = new NamespaceHarness();
        foreach (var entry in h.Log.Entries)
        {
            restarted.Fs.ApplyJournaled(entry.Op);
        }

        Assert.Equal(located.Block.GenerationStamp, restarted.Fs.LastGenerationStamp);
        Assert.Equal(located.Block.GenerationStamp, restarted.Fs.Blocks.Get(added.Block.Block.BlockId)!.GenerationStamp);
    }

    [Fact]
    public async Task Only_the_lease_holder_may_recover_and_only_the_last_block_under_construction()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var first = await h.AddBlockAsync("/f", status.FileId);
        var previous = first.Block.Block.Clone();
        previous.NumBytes = BlockSize;
        h.Received("dn1", previous, BlockSize);
        await h.AddBlockAsync("/f", status.FileId, previous);

        await ThrowsAsync(ErrorKind.LeaseConflict, () => NewStampAsync(h, "/f", status.FileId, first.Block.Block, client: "intruder"));
        var e = await ThrowsAsync(ErrorKind.InvalidArgument, () => NewStampAsync(h, "/f", status.FileId, first.Block.Block));
        Assert.Contains("not the last block", e.Message, StringComparison.Ordinal);
        await h.WriteFileAsync("/done", 10);
        await ThrowsAsync(ErrorKind.LeaseConflict, () => NewStampAsync(h, "/done", 0, new BlockRef { BlockId = 1 }));
    }

    [Fact]
    public async Task Update_pipeline_requires_the_current_stamp_and_a_node()
    {
        var h = new NamespaceHarness();
        var status = await h.CreateAsync("/f");
        var added = await h.AddBlockAsync("/f", status.FileId);
        var old = added.Block.Block.Clone();
        var located = await NewStampAsync(h, "/f", status.FileId, old);
        var entries = h.Log.Entries.Count;

        Throws(ErrorKind.InvalidArgument, () => UpdatePipeline(h, "/f", status.FileId, old, old, "dn1"));
        Throws(ErrorKind.InvalidArgument, () => UpdatePipeline(h, "/f", status.FileId, old, located.Block));
        UpdatePipeline(h, "/f", status.FileId, old, located.Block, "dn1", "dn2");
        Assert.Equal(entries, h.Log.Entries.Count);
    }
}
