using PyHdfs.NameNode.Placement;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.DataNodes;

/// <summary>
/// The DataNodes the NameNode knows: liveness from the registry's watch stream and from the
/// DataNodes' own heartbeats to this NameNode, which outrank it (<see cref="DataNodeLivenessPolicy"/>),
/// capacity from registry events and NameNode heartbeats (whichever came last), and the commands
/// waiting for each node's next heartbeat. Thread-safe; never calls out while holding its lock
/// (lock order: namespace, then this).
/// </summary>
internal sealed class DataNodeManager(TimeProvider? time = null, DataNodeLivenessPolicy? liveness = null)
{
    private readonly DataNodeLivenessPolicy _liveness = liveness ?? DataNodeLivenessPolicy.Default;

    /// <summary>A block placed on a node but never reported stops counting against its free space after this.</summary>
    public static readonly TimeSpan ScheduledBlockTtl = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Block ids per delete command: bounds the heartbeat reply.</summary>
    public const int MaxBlocksPerDeleteCommand = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DataNodeDescriptor> _nodes = new(StringComparer.Ordinal);
    private long _livenessVersion;

    /// <summary>Changes whenever a node dies or comes back: the replication monitor then rescans every block.</summary>
    public long LivenessVersion => Interlocked.Read(ref _livenessVersion);

    public void ApplySnapshot(IEnumerable<DataNodeInfo> liveNodes)
    {
        lock (_lock)
        {
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var info in liveNodes)
            {
                if (IdOf(info) is { } id)
                {
                    live.Add(id);
                    var node = Upsert(id, info);
                    if (!node.SilentSinceRegistration)
                    {
                        MarkLive(node);
                    }
                }
            }
            foreach (var node in _nodes.Values.Where(n => n.Live && !live.Contains(n.Id)))
            {
                RegistrySaysDead(node);
            }
        }
    }

    public void OnAddedOrUpdated(DataNodeInfo info)
    {
        if (IdOf(info) is not { } id)
        {
            return;
        }
        lock (_lock)
        {
            var node = Upsert(id, info);
            if (!node.SilentSinceRegistration)
            {
                MarkLive(node);
            }
        }
    }

    public void OnRemoved(DataNodeInfo info)
    {
        if (IdOf(info) is not { } id)
        {
            return;
        }
        lock (_lock)
        {
            if (_nodes.TryGetValue(id, out var node))
            {
                RegistrySaysDead(node);
            }
        }
    }

    /// <summary>
    /// Declares dead the nodes whose heartbeats to this NameNode stopped: silent for the dead
    /// interval, or silent through the grace after the registry said they died. Returns each with why.
    /// </summary>
    public List<(string Id, string Reason)> ExpireSilentNodes()
    {
        var now = NowMs;
        var dead = new List<(string, string)>();
        lock (_lock)
        {
            foreach (var node in _nodes.Values.Where(n => n.Live))
            {
                if (node.RegistryDeathMs is { } notice && now - notice >= _liveness.HeartbeatGraceMs)
                {
                    dead.Add((node.Id, $"the registry declared it dead and no heartbeat came within {_liveness.HeartbeatGraceMs} ms"));
                    MarkDead(node);
                }
                else if (node.LastHeartbeatMs > 0 && now - node.LastHeartbeatMs >= _liveness.DeadIntervalMs)
                {
                    dead.Add((node.Id, $"no heartbeat for {now - node.LastHeartbeatMs} ms"));
                    node.SilentSinceRegistration = true;
                    MarkDead(node);
                }
            }
        }
        return dead;
    }

    public void Register(DataNodeInfo info)
    {
        var id = IdOf(info) ?? throw new ArgumentException("the DataNode info has no address.id");
        lock (_lock)
        {
            var node = Upsert(id, info);
            node.Registered = true;
            node.ReportRequested = false;
            node.Scheduled.Clear();
            node.SilentSinceRegistration = false;
            HeardFrom(node);
            MarkLive(node);
        }
    }

    /// <summary>Updates capacity; returns null when the node must register again, else its pending commands (drained).</summary>
    public IReadOnlyList<DataNodeCommand>? Heartbeat(DataNodeInfo info)
    {
        if (IdOf(info) is not { } id)
        {
            return null;
        }
        lock (_lock)
        {
            if (!_nodes.TryGetValue(id, out var node) || !node.Registered || node.ReportRequested)
            {
                return null;
            }
            node.Info = info;
            HeardFrom(node);
            var commands = new List<DataNodeCommand>(node.PendingCommands);
            node.PendingCommands.Clear();
            for (var start = 0; start < node.PendingDeletes.Count; start += MaxBlocksPerDeleteCommand)
            {
                var delete = new DeleteBlocksCommand();
                delete.Blocks.AddRange(node.PendingDeletes.Skip(start).Take(MaxBlocksPerDeleteCommand));
                commands.Add(new DataNodeCommand { Delete = delete });
            }
            node.PendingDeletes.Clear();
            return commands;
        }
    }

    /// <summary>
    /// On becoming active: commands queued as a standby (judged against a journal that was still
    /// being tailed) are dropped, and every node re-registers with a full block report, which
    /// corrects whatever the standby's view missed.
    /// </summary>
    public void ForgetCommandsAndRequestReports()
    {
        lock (_lock)
        {
            foreach (var node in _nodes.Values)
            {
                node.PendingCommands.Clear();
                node.PendingDeletes.Clear();
                node.ReportRequested = node.Registered;
            }
        }
    }

    public void QueueDelete(string nodeId, BlockRef block)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(nodeId, out var node))
            {
                _nodes[nodeId] = node = new DataNodeDescriptor(nodeId, new DataNodeInfo { Address = new DataNodeAddress { Id = nodeId } });
            }
            node.PendingDeletes.Add(block);
        }
    }

    /// <summary>A command for the node's next heartbeat reply (re-replication).</summary>
    public void QueueCommand(string nodeId, DataNodeCommand command)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(nodeId, out var node))
            {
                node.PendingCommands.Add(command);
            }
        }
    }

    /// <summary>Live and registered: its heartbeats fetch commands and its replicas were reported.</summary>
    public bool IsUsable(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) && node.Live && node.Registered;
        }
    }

    /// <summary>
    /// True while a node the registry calls live for less than <paramref name="graceMs"/> has not
    /// registered (and reported its blocks) yet: replica counts are incomplete until it has.
    /// </summary>
    public bool AwaitingReports(long graceMs)
    {
        lock (_lock)
        {
            var now = NowMs;
            return _nodes.Values.Any(n => n.Live && !n.Registered && now - n.LiveSinceMs < graceMs);
        }
    }

    /// <summary>The node's last reported free space (0 when unknown).</summary>
    public long RemainingBytes(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) ? node.Info.RemainingBytes : 0;
        }
    }

    public int PendingDeleteCount(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) ? node.PendingDeletes.Count : 0;
        }
    }

    public bool IsLive(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) && node.Live;
        }
    }

    public bool IsRegistered(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) && node.Registered;
        }
    }

    /// <summary>The addresses of the live ones among <paramref name="nodeIds"/>.</summary>
    public List<DataNodeAddress> LiveAddresses(IEnumerable<string> nodeIds)
    {
        lock (_lock)
        {
            var result = new List<DataNodeAddress>();
            foreach (var id in nodeIds)
            {
                if (_nodes.TryGetValue(id, out var node) && node.Live)
                {
                    result.Add(node.Info.Address);
                }
            }
            return result;
        }
    }

    public int CountLive(IEnumerable<string> nodeIds)
    {
        lock (_lock)
        {
            return nodeIds.Count(id => _nodes.TryGetValue(id, out var node) && node.Live);
        }
    }

    public List<PlacementCandidate> LiveCandidates()
    {
        lock (_lock)
        {
            var now = NowMs;
            return _nodes.Values.Where(n => n.Live)
                .Select(n => new PlacementCandidate(n.Id, n.Info.Address, n.PlacementRemainingBytes, n.ScheduledBytes(now)))
                .ToList();
        }
    }

    /// <summary>A block was placed on the node: its bytes count against the node's free space until reported.</summary>
    public void Schedule(string nodeId, long blockId, long bytes)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(nodeId, out var node))
            {
                node.Scheduled[blockId] = (bytes, NowMs + (long)ScheduledBlockTtl.TotalMilliseconds);
            }
        }
    }

    /// <summary>The node reported the replica, or the block is gone.</summary>
    public void Unschedule(string nodeId, long blockId)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(nodeId, out var node) && node.Scheduled.Remove(blockId, out var scheduled))
            {
                // The replica now takes space, but the node's next heartbeat is what reports it: until then count
                // it as used, or a fast writer gets more blocks placed on a filling node than it has room for.
                node.UnreportedBytes += scheduled.Bytes;
            }
        }
    }

    /// <summary>The block was abandoned or deleted while being written: no node will receive it.</summary>
    public void UnscheduleEverywhere(long blockId)
    {
        lock (_lock)
        {
            foreach (var node in _nodes.Values)
            {
                node.Scheduled.Remove(blockId);
            }
        }
    }

    /// <summary>A full report: whatever the node has is in its remaining bytes.</summary>
    public void ResetScheduled(string nodeId)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(nodeId, out var node))
            {
                node.Scheduled.Clear();
            }
        }
    }

    public long ScheduledBytes(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) ? node.ScheduledBytes(NowMs) : 0;
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A consistent copy for reports: (info, live) of every node ever seen.</summary>
    public List<(DataNodeInfo Info, bool Live)> Snapshot()
    {
        lock (_lock)
        {
            return _nodes.Values.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => (n.Info.Clone(), n.Live)).ToList();
        }
    }

    private DataNodeDescriptor Upsert(string id, DataNodeInfo info)
    {
        if (_nodes.TryGetValue(id, out var node))
        {
            node.Info = info;
        }
        else
        {
            _nodes[id] = node = new DataNodeDescriptor(id, info);
        }
        return node;
    }

    private void MarkLive(DataNodeDescriptor node)
    {
        if (!node.Live)
        {
            node.Live = true;
            node.LiveSinceMs = NowMs;
            Interlocked.Increment(ref _livenessVersion);
        }
    }

    private void HeardFrom(DataNodeDescriptor node)
    {
        node.LastHeartbeatMs = NowMs;
        node.RegistryDeathMs = null;
    }

    // The registry's notice alone is not enough: a node still heartbeating this NameNode stays live
    // (the notice may come from a Redis that was down, or came back empty). It is only a suspicion
    // until ExpireSilentNodes finds no heartbeat came within the grace.
    private void RegistrySaysDead(DataNodeDescriptor node)
    {
        var now = NowMs;
        if (node.LastHeartbeatMs > 0 && now - node.LastHeartbeatMs < _liveness.HeartbeatGraceMs)
        {
            node.RegistryDeathMs ??= now;
            return;
        }
        MarkDead(node);
    }

    // A dead node must register again (and send a full report) before its word counts again.
    private void MarkDead(DataNodeDescriptor node)
    {
        node.RegistryDeathMs = null;
        if (node.Live)
        {
            Interlocked.Increment(ref _livenessVersion);
        }
        node.Live = false;
        node.Registered = false;
        node.Scheduled.Clear();
    }

    private static string? IdOf(DataNodeInfo info) =>
        string.IsNullOrEmpty(info.Address?.Id) ? null : info.Address.Id;
}
