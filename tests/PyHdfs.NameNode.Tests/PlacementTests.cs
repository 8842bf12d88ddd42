using PyHdfs.NameNode.Placement;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.NameNode.Tests;

public sealed class PlacementTests
{
    private const long Block = 128L << 20;

    private static PlacementCandidate Node(string id, long remaining, long scheduled = 0) =>
        new(id, new DataNodeAddress { Id = id, Host = "h", DataPort = 1 }, remaining, scheduled);

    private static List<PlacementCandidate> Nodes(int count, long remaining = 100L << 30) =>
        Enumerable.Range(1, count).Select(i => Node($"dn{i}", remaining)).ToList();

    [Fact]
    public void Never_places_two_replicas_on_one_node()
    {
        var policy = new BlockPlacementPolicy(new Random(1));
        var live = Nodes(5);
        live.Add(live[0]); // a duplicate entry must not yield a second replica
        for (var i = 0; i < 500; i++)
        {
            var chosen = policy.ChooseTargets("/f", 3, 1, Block, live, []);
            Assert.Equal(3, chosen.Count);
            Assert.Equal(3, chosen.Select(c => c.Id).Distinct().Count());
        }
        var all = policy.ChooseTargets("/f", 10, 1, Block, live, []);
        Assert.Equal(5, all.Select(c => c.Id).Distinct().Count());
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public void Excludes_excluded_nodes_and_nodes_without_room_for_a_block()
    {
        var policy = new BlockPlacementPolicy(new Random(2));
        var live = new List<PlacementCandidate>
        {
            Node("ok1", 10L << 30), Node("excluded", 10L << 30), Node("full", Block - 1), Node("promised", 10L << 30, (10L << 30) - 5), Node("ok2", 10L << 30),
        };
        for (var i = 0; i < 200; i++)
        {
            var chosen = policy.ChooseTargets("/f", 5, 1, Block, live, ["excluded"]);
            Assert.Equal(["ok1", "ok2"], chosen.Select(c => c.Id).Order());
        }
    }

    [Fact]
    public void Balances_towards_free_space_without_starving_fuller_nodes()
    {
        var policy = new BlockPlacementPolicy(new Random(3));
        var live = new List<PlacementCandidate> { Node("empty", 1000L << 30), Node("half", 500L << 30), Node("nearly-full", 10L << 30) };
        var counts = live.ToDictionary(n => n.Id, _ => 0);
        for (var i = 0; i < 3000; i++)
        {
            counts[policy.ChooseTargets("/f", 1, 1, Block, live, []).Single().Id]++;
        }
        Assert.True(counts["empty"] > counts["half"], $"empty {counts["empty"]} vs half {counts["half"]}");
        Assert.True(counts["half"] > counts["nearly-full"], $"half {counts["half"]} vs nearly-full {counts["nearly-full"]}");
        Assert.True(counts["empty"] < 3000 * 0.8, "the emptiest node must not take every write");
    }

    [Fact]
    public void Too_few_eligible_nodes_is_not_enough_datanodes_with_a_clear_message()
    {
        var policy = new BlockPlacementPolicy(new Random(4));
        var e = Assert.Throws<DfsException>(() => policy.ChooseTargets("/x", 3, 1, Block, [Node("dn1", 1L << 40)], ["dn1"]));
        Assert.Equal(ErrorKind.NotEnoughDatanodes, e.Kind);
        Assert.StartsWith("cannot place a block of /x: 1 live DataNode, 0 eligible after excluding 1", e.Message);

        var none = Assert.Throws<DfsException>(() => policy.ChooseTargets("/y", 2, 1, Block, [], []));
        Assert.Contains("0 live DataNodes", none.Message);
    }

    [Fact]
    public void Between_min_replication_and_the_factor_the_write_is_degraded_not_refused()
    {
        var policy = new BlockPlacementPolicy(new Random(5));
        Assert.Equal(2, policy.ChooseTargets("/f", 3, 2, Block, Nodes(2), []).Count);
        var e = Assert.Throws<DfsException>(() => policy.ChooseTargets("/f", 3, 2, Block, Nodes(1), []));
        Assert.Equal(ErrorKind.NotEnoughDatanodes, e.Kind);
    }
}
