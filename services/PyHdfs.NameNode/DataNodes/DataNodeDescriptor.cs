using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.DataNodes;

/// <summary>What the NameNode knows about one DataNode. Guarded by the <see cref="DataNodeManager"/> lock.</summary>
internal sealed class DataNodeDescriptor(string id, DataNodeInfo info)
{
    public string Id { get; } = id;
    public DataNodeInfo Info
    {
        get => _info;
        set
        {
            _info = value;
            UnreportedBytes = 0;
        }
    }

    private DataNodeInfo _info = info;

    /// <summary>Bytes of replicas reported received since <see cref="Info"/> last came in: not yet in its remaining bytes.</summary>
    public long UnreportedBytes { get; set; }

    /// <summary>Free space for placement: the last report minus the replicas received since.</summary>
    public long PlacementRemainingBytes => Math.Max(0, Info.RemainingBytes - UnreportedBytes);

    /// <summary>Alive: announced by the registry or registered here, and not since found dead (<see cref="DataNodeLivenessPolicy"/>).</summary>
    public bool Live { get; set; }

    /// <summary>When it last became live (unix ms).</summary>
    public long LiveSinceMs { get; set; }

    /// <summary>Its last registration or heartbeat to this NameNode (unix ms; 0 = never).</summary>
    public long LastHeartbeatMs { get; set; }

    /// <summary>When the registry said it died while it was still heartbeating here: a suspicion, refuted by the next heartbeat.</summary>
    public long? RegistryDeathMs { get; set; }

    /// <summary>Found dead for silence: registry events do not revive it, only its registering here again.</summary>
    public bool SilentSinceRegistration { get; set; }

    /// <summary>Registered with this NameNode since it started or since the registry last declared the node dead.</summary>
    public bool Registered { get; set; }

    /// <summary>Set when this NameNode became active: the next heartbeat asks the node to register and report all its blocks again.</summary>
    public bool ReportRequested { get; set; }

    /// <summary>Blocks placed on this node whose replicas have not been reported yet: block id → (bytes, expiry).</summary>
    public Dictionary<long, (long Bytes, long ExpiresMs)> Scheduled { get; } = [];

    /// <summary>Bytes promised to writes in flight; forgets promises older than their expiry (the writer gave up).</summary>
    public long ScheduledBytes(long nowMs)
    {
        long total = 0;
        List<long>? expired = null;
        foreach (var (blockId, (bytes, expiresMs)) in Scheduled)
        {
            if (expiresMs <= nowMs)
            {
                (expired ??= []).Add(blockId);
            }
            else
            {
                total += bytes;
            }
        }
        expired?.ForEach(id => Scheduled.Remove(id));
        return total;
    }

    public List<BlockRef> PendingDeletes { get; } = [];

    public List<DataNodeCommand> PendingCommands { get; } = [];
}
