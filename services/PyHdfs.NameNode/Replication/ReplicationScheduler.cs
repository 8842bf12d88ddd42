using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PyHdfs.NameNode.Blocks;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Placement;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.Replication;

/// <summary>What one round of the monitor did.</summary>
internal readonly record struct ReplicationRound(int Scheduled, int ExcessDeleted, int CorruptDeleted, int StillNeeded);

/// <summary>
/// One round of replication work, under the namespace lock: looks at the blocks that changed (or
/// at every block after a DataNode died or came back), queues the ones below their factor by
/// priority, and for the most endangered first sends a ReplicateCommand to a DataNode holding a
/// good replica (at most MaxReplicationStreamsPerNode copies per source at a time), with targets
/// from the placement policy that hold no replica yet. Excess replicas and corrupt replicas whose
/// block is back at its factor get a DeleteBlocksCommand; the last good replica never does.
/// </summary>
internal sealed class ReplicationScheduler(FsNamespace fs, BlockPlacementPolicy placement, NameNodeOptions options,
    TimeProvider? time = null, ILogger? logger = null, BlockTokenIssuer? blockTokens = null)
{
    /// <summary>Even without triggers, every block is looked at this often (a missed trigger cannot strand a block).</summary>
    private const int FullScanEveryRounds = 20;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly DataNodeManager _dataNodes = fs.DataNodes;
    private long _seenLiveness = -1;
    private int _roundsSinceFullScan;

    public ReplicationRound RunOnce()
    {
        lock (fs.SyncRoot)
        {
            var queues = fs.Replication;
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var blockId in queues.ExpirePending(now))
            {
                _logger.LogWarning("Re-replication of block {Block} was not reported in time: scheduling it again", blockId);
            }
            int excess = 0, corrupt = 0;
            var liveness = _dataNodes.LivenessVersion;
            if (queues.FullScanRequested || liveness != _seenLiveness || ++_roundsSinceFullScan >= FullScanEveryRounds)
            {
                _seenLiveness = liveness;
                _roundsSinceFullScan = 0;
                queues.FullScanDone();
                queues.TakeDirty();
                foreach (var block in fs.Blocks.All.ToList())
                {
                    Check(block, ref excess, ref corrupt);
                }
            }
            else
            {
                foreach (var blockId in queues.TakeDirty())
                {
                    if (fs.Blocks.Get(blockId) is { } block)
                    {
                        Check(block, ref excess, ref corrupt);
                    }
                    else
                    {
                        queues.Forget(blockId);
                    }
                }
            }
            // Right after a start or a node's return, wait (boundedly) for the reports of live nodes that have not registered yet:
            // copying blocks whose replicas are about to be reported would only create excess.
            var scheduled = _dataNodes.AwaitingReports(10 * options.DataNodeHeartbeatIntervalMs) ? 0 : ScheduleCopies(now);
            return new ReplicationRound(scheduled, excess, corrupt, queues.NeededCount);
        }
    }

    /// <summary>Queues or dequeues the block, and deletes its excess and (once safe) corrupt replicas.</summary>
    private void Check(BlockInfo block, ref int excess, ref int corrupt)
    {
        var queues = fs.Replication;
        if (block.File.IsBeingWritten(block) || !block.LengthKnown || block.File.Parent is null)
        {
            // Files being written are the writer's business; the lease monitor collects abandoned ones.
            queues.Dequeue(block.BlockId);
            return;
        }
        var state = fs.StateOf(block);
        if (state.GoodLive > 0 && state.GoodLive + queues.PendingTargetCount(block.BlockId) < state.Expected)
        {
            queues.Enqueue(block.BlockId, ReplicationQueues.LevelFor(state.GoodLive));
        }
        else
        {
            queues.Dequeue(block.BlockId);
        }
        if (state.GoodUsable >= state.Expected)
        {
            corrupt += DeleteCorrupt(block);
        }
        if (state.GoodUsable > state.Expected)
        {
            excess += DeleteExcess(block, state.GoodUsable - state.Expected);
        }
    }

    /// <summary>The block has its factor of good replicas: the corrupt ones go.</summary>
    private int DeleteCorrupt(BlockInfo block)
    {
        var deleted = 0;
        foreach (var node in block.Nodes.ToArray())
        {
            if (fs.IsCorruptReplica(block.BlockId, node))
            {
                // The corrupt mark stays until the node reports the deletion: a replica reported again meanwhile stays corrupt.
                fs.Blocks.RemoveReplica(block, node);
                _dataNodes.QueueDelete(node, block.ToRef());
                _logger.LogInformation("Block {Block} is back at {Factor} good replicas: deleting the corrupt replica on {Node}",
                    block.BlockId, block.File.Replication, node);
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Removes <paramref name="count"/> good replicas, from the nodes with the least free space first.</summary>
    private int DeleteExcess(BlockInfo block, int count)
    {
        var victims = block.Nodes
            .Where(n => !fs.IsCorruptReplica(block.BlockId, n) && _dataNodes.IsUsable(n))
            .OrderBy(_dataNodes.RemainingBytes)
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(count)
            .ToList();
        foreach (var node in victims)
        {
            fs.Blocks.RemoveReplica(block, node);
            _dataNodes.QueueDelete(node, block.ToRef());
            _logger.LogInformation("Block {Block} has more than {Factor} replicas: deleting the one on {Node}", block.BlockId, block.File.Replication, node);
        }
        return victims.Count;
    }

    private int ScheduleCopies(long now)
    {
        var queues = fs.Replication;
        var streams = queues.StreamsPerSource();
        var scheduled = 0;
        foreach (var blockId in queues.InPriorityOrder())
        {
            if (fs.Blocks.Get(blockId) is not { } block)
            {
                queues.Forget(blockId);
                continue;
            }
            var state = fs.StateOf(block);
            var needed = state.Expected - state.GoodLive - queues.PendingTargetCount(blockId);
            if (needed <= 0 || state.GoodLive == 0)
            {
                queues.Dequeue(blockId);
                continue;
            }
            var source = ChooseSource(block, streams);
            if (source is null)
            {
                continue; // every holder is busy (or not registered yet): next round
            }
            var excluded = new HashSet<string>(block.Nodes, StringComparer.Ordinal);
            excluded.UnionWith(fs.CorruptNodesOf(blockId));
            excluded.UnionWith(queues.PendingTargets(blockId));
            IReadOnlyList<PlacementCandidate> targets;
            try
            {
                targets = placement.ChooseTargets(fs.PathOf(block.File), needed, 1, block.NumBytes, _dataNodes.LiveCandidates(), excluded);
            }
            catch (DfsException)
            {
                continue; // no eligible DataNode now; the block stays queued
            }
            // The targets accept a TRANSFER only with a COPY token; the source reads its own replica.
            var command = new ReplicateCommand { Block = block.ToRef() };
            if (blockTokens is not null)
            {
                command.AccessToken = blockTokens.Issue(blockId, BlockAccessMode.Copy, "namenode");
            }
            command.Targets.AddRange(targets.Select(t => t.Address));
            _dataNodes.QueueCommand(source, new DataNodeCommand { Replicate = command });
            foreach (var target in targets)
            {
                _dataNodes.Schedule(target.Id, blockId, block.NumBytes);
            }
            if (!queues.Pending.TryGetValue(blockId, out var copies))
            {
                queues.Pending[blockId] = copies = [];
            }
            copies.Add(new PendingReplication(source, [.. targets.Select(t => t.Id)], now + options.ReplicationPendingTimeoutMs));
            streams[source] = streams.GetValueOrDefault(source) + 1;
            scheduled++;
            if (state.GoodLive + queues.PendingTargetCount(blockId) >= state.Expected)
            {
                queues.Dequeue(blockId);
            }
            _logger.LogInformation("Re-replicating block {Block} ({Live} of {Factor} good live replicas) from {Source} to {Targets}",
                blockId, state.GoodLive, state.Expected, source, string.Join(",", targets.Select(t => t.Id)));
        }
        return scheduled;
    }

    /// <summary>A registered live holder of a good replica with a free stream; the least busy first.</summary>
    private string? ChooseSource(BlockInfo block, Dictionary<string, int> streams) =>
        block.Nodes
            .Where(n => !fs.IsCorruptReplica(block.BlockId, n) && _dataNodes.IsUsable(n)
                && streams.GetValueOrDefault(n) < options.MaxReplicationStreamsPerNode)
            .OrderBy(n => streams.GetValueOrDefault(n))
            .ThenBy(_ => Random.Shared.Next())
            .FirstOrDefault();
}
