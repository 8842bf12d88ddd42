using PyHdfs.NameNode.Placement;
using PyHdfs.NameNode.Replication;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Tests.Replication;

/// <summary>A namespace harness plus a replication scheduler, and helpers to set exactly which nodes hold a block.</summary>
internal sealed class ReplicationFixture
{
    public ReplicationFixture(int dataNodes = 4, Action<NameNodeOptions>? configure = null, Protocol.Security.BlockTokenIssuer? blockTokens = null)
    {
        H = new NamespaceHarness(dataNodes, o =>
        {
            o.MaxReplicationStreamsPerNode = 2;
            o.ReplicationPendingTimeoutMs = 60_000;
            configure?.Invoke(o);
        });
        Scheduler = new ReplicationScheduler(H.Fs, new BlockPlacementPolicy(new Random(7)), H.Options, H.Time, blockTokens: blockTokens);
    }

    public NamespaceHarness H { get; }

    public ReplicationScheduler Scheduler { get; }

    public ReplicationRound Run() => Scheduler.RunOnce();

    /// <summary>A complete one-block file whose replicas are exactly on <paramref name="holders"/>, with the given factor.</summary>
    public async Task<BlockRef> FileOnAsync(string path, int replication, params string[] holders)
    {
        await H.WriteFileAsync(path, 100);
        var block = H.Fs.GetBlockLocations(path, 0, 0).Blocks[0].Block;
        var current = H.Fs.Blocks.Get(block.BlockId)!.Nodes.ToArray();
        foreach (var node in current.Except(holders))
        {
            H.Fs.BlockReceivedAndDeleted(node, [], [block]);
        }
        foreach (var node in holders.Except(current))
        {
            H.Received(node, block, 100);
        }
        await H.Fs.SetReplicationAsync(path, replication, CancellationToken.None);
        H.Fs.RequestReplicationCheck(path);
        // Deletions queued while arranging the holders are not what the tests look at.
        foreach (var node in H.DataNodes.Snapshot().Select(n => n.Info.Address.Id))
        {
            H.DataNodes.Heartbeat(NamespaceHarness.Info(node, H.DataNodes.RemainingBytes(node)));
        }
        return block;
    }

    /// <summary>The commands the node's next heartbeat would get (drained).</summary>
    public IReadOnlyList<DataNodeCommand> Commands(string node) =>
        H.DataNodes.Heartbeat(NamespaceHarness.Info(node, H.DataNodes.RemainingBytes(node))) ?? [];

    public List<ReplicateCommand> Replications(string node) =>
        Commands(node).Where(c => c.Replicate is not null).Select(c => c.Replicate).ToList();

    public IReadOnlyList<string> Holders(BlockRef block) => H.Fs.Blocks.Get(block.BlockId)!.Nodes;

    public void Kill(string node) => H.KillDataNode(node);
}
