using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Tests.Replication;

public sealed class ReplicationSchedulerTests
{
    [Fact]
    public async Task A_dead_nodes_blocks_are_copied_from_a_live_holder_to_a_node_without_a_replica()
    {
        var f = new ReplicationFixture(dataNodes: 4);
        var block = await f.FileOnAsync("/f", 3, "dn1", "dn2", "dn3");
        Assert.Equal(0, f.Run().Scheduled);

        f.Kill("dn1");
        var round = f.Run();

        Assert.Equal(1, round.Scheduled);
        var commands = new[] { "dn2", "dn3" }.SelectMany(f.Replications).ToList();
        var command = Assert.Single(commands);
        Assert.Equal(block.BlockId, command.Block.BlockId);
        Assert.Equal(["dn4"], command.Targets.Select(t => t.Id));
    }

    [Fact]
    public async Task Targets_never_include_a_current_holder_even_a_dead_or_corrupt_one()
    {
        var f = new ReplicationFixture(dataNodes: 5);
        var block = await f.FileOnAsync("/f", 4, "dn1", "dn2", "dn3");
        f.H.Fs.ReportBadBlocks([new BadReplica { Block = block, DatanodeId = "dn2" }]);
        f.Kill("dn3");

        f.Run();

        var command = Assert.Single(f.Replications("dn1"));
        Assert.Equal(["dn4", "dn5"], command.Targets.Select(t => t.Id).Order());
    }

    [Fact]
    public async Task The_block_with_one_replica_left_is_copied_before_the_one_with_two()
    {
        var f = new ReplicationFixture(dataNodes: 0, o => o.MaxReplicationStreamsPerNode = 1);
        f.H.AddDataNode("dn1");
        f.H.AddDataNode("dn3");
        f.H.AddDataNode("dn4");
        // dn2 is live but has not registered yet: its replica counts, but it cannot be a source.
        f.H.DataNodes.OnAddedOrUpdated(NamespaceHarness.Info("dn2"));
        var two = await f.FileOnAsync("/a-two", 3, "dn1", "dn2");
        var one = await f.FileOnAsync("/b-one", 3, "dn1");
        // Past the wait for dn2's registration (see the next test).
        f.H.Time.Advance(TimeSpan.FromMinutes(1));

        var round = f.Run();

        Assert.Equal(1, round.Scheduled);
        var command = Assert.Single(f.Replications("dn1"));
        Assert.Equal(one.BlockId, command.Block.BlockId);
        Assert.Equal(2, command.Targets.Count);
        Assert.Equal(1, round.StillNeeded);
        Assert.NotEqual(two.BlockId, command.Block.BlockId);
    }

    [Fact]
    public async Task Copies_wait_boundedly_for_a_live_node_that_has_not_reported_yet()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        await f.FileOnAsync("/f", 2, "dn1");
        // dn4 is live in the registry but has not registered: its report may still bring the missing replica.
        f.H.DataNodes.OnAddedOrUpdated(NamespaceHarness.Info("dn4"));

        Assert.Equal(0, f.Run().Scheduled);

        f.H.DataNodes.Register(NamespaceHarness.Info("dn4"));
        Assert.Equal(1, f.Run().Scheduled);

        var g = new ReplicationFixture(dataNodes: 3);
        await g.FileOnAsync("/g", 2, "dn1");
        g.H.DataNodes.OnAddedOrUpdated(NamespaceHarness.Info("dn4"));
        Assert.Equal(0, g.Run().Scheduled);
        g.H.Time.Advance(TimeSpan.FromMilliseconds(10 * g.H.Options.DataNodeHeartbeatIntervalMs));
        Assert.Equal(1, g.Run().Scheduled);
    }

    [Fact]
    public async Task A_source_sends_at_most_MaxReplicationStreamsPerNode_copies_at_a_time()
    {
        var f = new ReplicationFixture(dataNodes: 3, o => o.MaxReplicationStreamsPerNode = 2);
        var blocks = new List<Protocol.BlockRef>();
        for (var i = 0; i < 5; i++)
        {
            blocks.Add(await f.FileOnAsync($"/f{i}", 2, "dn1"));
        }

        Assert.Equal(2, f.Run().Scheduled);
        var first = f.Replications("dn1");
        Assert.Equal(2, first.Count);
        Assert.Equal(0, f.Run().Scheduled);

        foreach (var command in first)
        {
            f.H.Received(command.Targets[0].Id, command.Block, 100);
        }
        Assert.Equal(2, f.Run().Scheduled);
        Assert.Equal(2, f.Replications("dn1").Count);
    }

    [Fact]
    public async Task A_copy_not_reported_within_the_pending_timeout_is_scheduled_again()
    {
        var f = new ReplicationFixture(dataNodes: 3, o => o.ReplicationPendingTimeoutMs = 10_000);
        var block = await f.FileOnAsync("/f", 2, "dn1");
        Assert.Equal(1, f.Run().Scheduled);
        Assert.Single(f.Replications("dn1"));

        f.H.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, f.Run().Scheduled);

        f.H.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, f.Run().Scheduled);
        Assert.Equal(block.BlockId, Assert.Single(f.Replications("dn1")).Block.BlockId);
    }

    [Fact]
    public async Task A_reported_copy_completes_the_work()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        var block = await f.FileOnAsync("/f", 2, "dn1");
        f.Run();
        var command = Assert.Single(f.Replications("dn1"));
        f.H.Received(command.Targets[0].Id, block, 100);

        var round = f.Run();

        Assert.Equal((0, 0), (round.Scheduled, round.StillNeeded));
        Assert.True(f.H.Fs.Fsck("/").Healthy);
        Assert.Equal(0, f.H.Fs.Fsck("/").UnderReplicatedBlocks);
    }

    [Fact]
    public async Task Lowering_the_factor_deletes_the_replica_on_the_node_with_the_least_free_space()
    {
        var f = new ReplicationFixture(dataNodes: 0);
        f.H.AddDataNode("dn1", remaining: 5L << 30);
        f.H.AddDataNode("dn2", remaining: 1L << 30);
        f.H.AddDataNode("dn3", remaining: 9L << 30);
        var block = await f.FileOnAsync("/f", 3, "dn1", "dn2", "dn3");
        Assert.Equal(0, f.Run().ExcessDeleted);

        await f.H.Fs.SetReplicationAsync("/f", 2, CancellationToken.None);
        f.H.Fs.RequestReplicationCheck("/f");
        Assert.Equal(1, f.Run().ExcessDeleted);

        var delete = Assert.Single(f.Commands("dn2")).Delete;
        Assert.Equal(block.BlockId, Assert.Single(delete.Blocks).BlockId);
        Assert.Empty(f.Commands("dn1"));
        Assert.Equal(["dn1", "dn3"], f.Holders(block).Order());
    }

    [Fact]
    public async Task A_returning_datanodes_excess_replica_is_removed()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        var block = await f.FileOnAsync("/f", 2, "dn1", "dn2");
        f.Kill("dn1");
        f.Run();
        var command = Assert.Single(f.Replications("dn2"));
        f.H.Received(command.Targets[0].Id, block, 100);
        f.Run();

        f.H.AddDataNode("dn1", remaining: 1L << 20);
        f.H.Fs.FullBlockReport("dn1", [block]);
        var round = f.Run();

        Assert.Equal(1, round.ExcessDeleted);
        Assert.Equal(block.BlockId, Assert.Single(f.Commands("dn1")).Delete.Blocks.Single().BlockId);
        Assert.Equal(2, f.Holders(block).Count);
    }

    [Fact]
    public async Task A_corrupt_replica_is_replaced_from_a_good_one_and_deleted_only_afterwards()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        var block = await f.FileOnAsync("/f", 2, "dn1", "dn2");
        f.H.Fs.ReportBadBlocks([new BadReplica { Block = block, DatanodeId = "dn2", Reason = "checksum" }]);
        Assert.Equal(BlockHealth.UnderReplicated, f.H.Fs.Fsck("/").Files.Single().Blocks.Single().Health);

        var round = f.Run();
        Assert.Equal((1, 0), (round.Scheduled, round.CorruptDeleted));
        Assert.Empty(f.Replications("dn2"));
        var command = Assert.Single(f.Replications("dn1"));
        Assert.Equal(["dn3"], command.Targets.Select(t => t.Id));

        f.H.Received("dn3", block, 100);
        Assert.Equal(1, f.Run().CorruptDeleted);
        Assert.Equal(block.BlockId, Assert.Single(f.Commands("dn2")).Delete.Blocks.Single().BlockId);
        Assert.Equal(["dn1", "dn3"], f.Holders(block).Order());
        Assert.True(f.H.Fs.Fsck("/").Healthy);
        // Reported again before the deletion arrived: it stays corrupt (not counted, not offered).
        f.H.Fs.FullBlockReport("dn2", [block]);
        Assert.DoesNotContain("dn2", f.H.Fs.GetBlockLocations("/f", 0, 0).Blocks[0].Locations.Select(l => l.Id));
        // The deletion reported: the mark goes.
        f.H.Fs.BlockReceivedAndDeleted("dn2", [], [block]);
        Assert.Equal(0, f.H.Fs.CorruptReplicaCount);
    }

    [Fact]
    public async Task The_last_replicas_are_never_deleted_even_when_corrupt_or_excess()
    {
        var f = new ReplicationFixture(dataNodes: 2);
        var block = await f.FileOnAsync("/f", 1, "dn1");
        f.H.Fs.ReportBadBlocks([new BadReplica { Block = block, DatanodeId = "dn1" }]);

        var round = f.Run();

        Assert.Equal((0, 0, 0), (round.Scheduled, round.CorruptDeleted, round.ExcessDeleted));
        Assert.Empty(f.Commands("dn1"));
        Assert.Equal(["dn1"], f.Holders(block));
        var fsck = f.H.Fs.Fsck("/");
        Assert.False(fsck.Healthy);
        Assert.Equal(1, fsck.CorruptBlocks);

        // Excess with a dead holder: only live, registered replicas count, so nothing is deleted.
        var other = await f.FileOnAsync("/g", 1, "dn1", "dn2");
        f.Kill("dn2");
        Assert.Equal(0, f.Run().ExcessDeleted);
        Assert.Equal(2, f.Holders(other).Count);
    }

    [Fact]
    public async Task Fsck_tells_missing_from_corrupt_and_df_counts_them()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        await f.FileOnAsync("/d/under", 3, "dn1");
        await f.FileOnAsync("/d/missing", 1, "dn2");
        var corrupt = await f.FileOnAsync("/d/corrupt", 1, "dn3");
        f.H.Fs.ReportBadBlocks([new BadReplica { Block = corrupt, DatanodeId = "dn3" }]);
        f.Kill("dn2");

        var fsck = f.H.Fs.Fsck("/d");

        Assert.False(fsck.Healthy);
        Assert.Equal((3, 1, 3), (fsck.TotalFiles, fsck.TotalDirectories, fsck.TotalBlocks));
        Assert.Equal((1, 1, 1), (fsck.UnderReplicatedBlocks, fsck.MissingBlocks, fsck.CorruptBlocks));
        Assert.Equal(["/d/corrupt", "/d/missing", "/d/under"], fsck.Files.Select(x => x.Path));
        var stats = f.H.Fs.GetFsStats();
        f.H.Fs.CountBlockHealth(stats);
        Assert.Equal((1, 2), (stats.UnderReplicatedBlocks, stats.MissingBlocks));
        Assert.True(f.H.Fs.Fsck("/d/under").Healthy);
    }
}
