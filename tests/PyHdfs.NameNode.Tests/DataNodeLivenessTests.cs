using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Tests.Support;
using static PyHdfs.NameNode.Tests.Support.NamespaceHarness;

namespace PyHdfs.NameNode.Tests;

/// <summary>Who is dead: the DataNodes' heartbeats to the NameNode outrank the registry (docs/registry.md).</summary>
public sealed class DataNodeLivenessTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(DataNodeLivenessPolicy.Default.HeartbeatGraceMs);

    [Fact]
    public void A_registry_death_notice_is_refuted_by_a_heartbeat_within_the_grace()
    {
        var h = new NamespaceHarness(dataNodes: 2);
        var version = h.DataNodes.LivenessVersion;

        h.DataNodes.OnRemoved(Info("dn1"));
        Assert.True(h.DataNodes.IsLive("dn1"));
        h.Time.Advance(Grace / 2);
        Assert.NotNull(h.DataNodes.Heartbeat(Info("dn1")));
        h.Time.Advance(Grace);
        Assert.NotNull(h.DataNodes.Heartbeat(Info("dn1")));

        Assert.Empty(h.DataNodes.ExpireSilentNodes());
        Assert.True(h.DataNodes.IsLive("dn1"));
        Assert.Equal(version, h.DataNodes.LivenessVersion);
    }

    [Fact]
    public void A_registry_death_notice_unrefuted_through_the_grace_kills_the_node()
    {
        var h = new NamespaceHarness(dataNodes: 2);

        h.DataNodes.OnRemoved(Info("dn1"));
        h.Time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(h.DataNodes.ExpireSilentNodes());
        h.Time.Advance(TimeSpan.FromMilliseconds(1));

        var (id, reason) = Assert.Single(h.DataNodes.ExpireSilentNodes());
        Assert.Equal("dn1", id);
        Assert.Contains("registry declared it dead", reason, StringComparison.Ordinal);
        Assert.False(h.DataNodes.IsLive("dn1"));
        Assert.Null(h.DataNodes.Heartbeat(Info("dn1")));
    }

    [Fact]
    public void A_node_silent_for_the_dead_interval_dies_though_the_registry_still_lists_it()
    {
        var h = new NamespaceHarness(dataNodes: 2);
        var deadInterval = TimeSpan.FromMilliseconds(DataNodeLivenessPolicy.Default.DeadIntervalMs);

        h.Time.Advance(deadInterval - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(h.DataNodes.Heartbeat(Info("dn2")));
        h.DataNodes.OnAddedOrUpdated(Info("dn1"));
        Assert.Empty(h.DataNodes.ExpireSilentNodes());
        h.Time.Advance(TimeSpan.FromMilliseconds(1));

        var (id, reason) = Assert.Single(h.DataNodes.ExpireSilentNodes());
        Assert.Equal("dn1", id);
        Assert.Contains("no heartbeat for", reason, StringComparison.Ordinal);

        h.DataNodes.OnAddedOrUpdated(Info("dn1"));
        h.DataNodes.ApplySnapshot([Info("dn1"), Info("dn2")]);
        Assert.False(h.DataNodes.IsLive("dn1"));

        h.DataNodes.Register(Info("dn1"));
        Assert.True(h.DataNodes.IsLive("dn1"));
    }

    [Fact]
    public void A_registry_that_comes_back_empty_kills_no_node_that_keeps_heartbeating()
    {
        var h = new NamespaceHarness(dataNodes: 3);
        var version = h.DataNodes.LivenessVersion;

        for (var tick = 0; tick < 20; tick++)
        {
            h.DataNodes.ApplySnapshot([]);
            h.Time.Advance(Grace / 3);
            foreach (var id in new[] { "dn1", "dn2", "dn3" })
            {
                Assert.NotNull(h.DataNodes.Heartbeat(Info(id)));
            }
            Assert.Empty(h.DataNodes.ExpireSilentNodes());
        }

        Assert.Equal(3, h.DataNodes.LiveCandidates().Count);
        Assert.Equal(version, h.DataNodes.LivenessVersion);
    }

    [Fact]
    public void The_dead_interval_defaults_to_ten_heartbeats_but_never_under_thirty_seconds_and_may_be_set()
    {
        Assert.Equal(30_000, DataNodeLivenessPolicy.From(new NameNodeOptions { DataNodeHeartbeatIntervalMs = 500 }).DeadIntervalMs);
        Assert.Equal(50_000, DataNodeLivenessPolicy.From(new NameNodeOptions { DataNodeHeartbeatIntervalMs = 5_000 }).DeadIntervalMs);
        Assert.Equal(12_000, DataNodeLivenessPolicy.From(new NameNodeOptions { DataNodeDeadIntervalMs = 12_000 }).DeadIntervalMs);
        Assert.Equal(2_000, DataNodeLivenessPolicy.From(new NameNodeOptions { DataNodeHeartbeatIntervalMs = 500 }).HeartbeatGraceMs);
    }
}
