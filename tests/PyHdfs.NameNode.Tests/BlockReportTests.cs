using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

public sealed class BlockReportTests
{
    [Fact]
    public async Task A_full_report_records_known_replicas_and_condemns_unknown_and_stale_ones()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var block = h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0].Block;
        var stale = block.Clone();
        stale.GenerationStamp--;
        var unknown = new BlockRef { BlockId = 999, GenerationStamp = 1000, NumBytes = 4 };

        var (recorded, invalidated) = h.Fs.FullBlockReport("dn3", [block, unknown]);
        Assert.Equal((1, 1), (recorded, invalidated));
        Assert.Contains("dn3", h.Fs.Blocks.Get(block.BlockId)!.Nodes);
        var commands = h.DataNodes.Heartbeat(Info("dn3"))!;
        Assert.Equal([999], commands.Single().Delete.Blocks.Select(b => b.BlockId));

        h.Fs.FullBlockReport("dn3", [stale]);
        Assert.DoesNotContain("dn3", h.Fs.Blocks.Get(block.BlockId)!.Nodes);
        Assert.Equal(1, h.DataNodes.PendingDeleteCount("dn3"));
    }

    [Fact]
    public async Task A_full_report_forgets_replicas_the_node_no_longer_has()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var located = h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0];
        var node = located.Locations[0].Id;
        h.Fs.FullBlockReport(node, []);
        Assert.Equal(0, h.Fs.ReplicaCountOn(node));
        Assert.Single(h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0].Locations);
    }

    [Fact]
    public async Task Incremental_deletes_remove_the_replica()
    {
        var h = new NamespaceHarness();
        await h.WriteFileAsync("/f", 10);
        var located = h.Fs.GetBlockLocations("/f", 0, 0).Blocks[0];
        h.Fs.BlockReceivedAndDeleted(located.Locations[0].Id, [], [located.Block]);
        Assert.Equal(1, h.Fs.GetFileInfo("/f").MinLiveReplicas);
    }

    [Fact]
    public void Heartbeats_ask_unknown_or_dead_nodes_to_register_again()
    {
        var h = new NamespaceHarness(dataNodes: 0);
        Assert.Null(h.DataNodes.Heartbeat(Info("new")));
        h.AddDataNode("new");
        Assert.NotNull(h.DataNodes.Heartbeat(Info("new")));
        h.KillDataNode("new");
        Assert.Null(h.DataNodes.Heartbeat(Info("new")));
    }

    [Fact]
    public void A_registry_snapshot_adds_nodes_and_its_absences_count_once_heartbeats_stop_too()
    {
        var h = new NamespaceHarness(dataNodes: 3);
        h.DataNodes.ApplySnapshot([Info("dn2"), Info("dn4")]);
        Assert.True(h.DataNodes.IsLive("dn1"));
        Assert.True(h.DataNodes.IsLive("dn4"));

        h.Time.Advance(TimeSpan.FromMilliseconds(DataNodeLivenessPolicy.Default.HeartbeatGraceMs));
        Assert.NotNull(h.DataNodes.Heartbeat(Info("dn2")));
        h.DataNodes.ExpireSilentNodes();

        Assert.False(h.DataNodes.IsLive("dn1"));
        Assert.True(h.DataNodes.IsLive("dn2"));
        Assert.False(h.DataNodes.IsLive("dn3"));
        Assert.True(h.DataNodes.IsLive("dn4"));
        Assert.Equal(["dn2", "dn4"], h.DataNodes.LiveCandidates().Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Scheduled_bytes_are_released_by_the_report_by_abandon_and_by_expiry()
    {
        var h = new NamespaceHarness(dataNodes: 2);
        var status = await h.CreateAsync("/f");
        var first = await h.AddBlockAsync("/f", status.FileId);
        Assert.Equal(BlockSize, h.DataNodes.ScheduledBytes("dn1"));
        h.Received("dn1", first.Block.Block, 10);
        Assert.Equal(0, h.DataNodes.ScheduledBytes("dn1"));
        Assert.Equal(BlockSize, h.DataNodes.ScheduledBytes("dn2"));

        await h.Fs.AbandonBlockAsync(new AbandonBlockRequest { Path = "/f", ClientName = Client, FileId = status.FileId, Block = first.Block.Block },
            CancellationToken.None);
        Assert.Equal(0, h.DataNodes.ScheduledBytes("dn2"));

        await h.AddBlockAsync("/f", status.FileId);
        Assert.Equal(BlockSize, h.DataNodes.ScheduledBytes("dn1"));
        h.Time.Advance(DataNodes.DataNodeManager.ScheduledBlockTtl + TimeSpan.FromSeconds(1));
        Assert.Equal(0, h.DataNodes.ScheduledBytes("dn1"));
    }

    [Fact]
    public async Task Placement_accounts_for_blocks_scheduled_but_not_yet_reported()
    {
        var h = new NamespaceHarness(dataNodes: 0);
        h.AddDataNode("small", remaining: 2 * BlockSize);
        h.AddDataNode("other", remaining: 100 * BlockSize);
        var status = await h.Fs.CreateAsync(new CreateRequest { Path = "/f", ClientName = Client, Replication = 2 }, null, CancellationToken.None);
        var first = await h.AddBlockAsync("/f", status.FileId);
        Assert.Equal(2, first.Block.Locations.Count);
        var previous = first.Block.Block.Clone();
        previous.NumBytes = BlockSize;
        // "small" has 2 blocks of room, one is promised: one more fits, then it is full.
        var second = await h.AddBlockAsync("/f", status.FileId, previous);
        Assert.Equal(2, second.Block.Locations.Count);
        previous = second.Block.Block.Clone();
        previous.NumBytes = BlockSize;
        var third = await h.AddBlockAsync("/f", status.FileId, previous);
        Assert.Equal(["other"], third.Block.Locations.Select(l => l.Id));
    }
}
