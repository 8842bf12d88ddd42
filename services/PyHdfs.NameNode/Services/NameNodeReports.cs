using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Journal;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.NameNode;
using MetadataClient = PyHdfs.Protocol.Metadata.Metadata.MetadataClient;

namespace PyHdfs.NameNode.Services;

/// <summary>
/// The cluster reports (df, dfsadmin -report, safe mode, HA status) as the NameNode answers them:
/// shared by <see cref="ClientProtocolService"/> and the status page, so both say the same thing.
/// Checks no role: callers decide whether a standby may answer.
/// </summary>
internal sealed class NameNodeReports(FsNamespace fs, DataNodeManager dataNodes, NameNodeState state, IEditLog journal,
    SafeMode safeMode, MetadataClient metadata, IOptions<NameNodeOptions> options, [FromKeyedServices(Reachability.Registry)] Reachability registry)
{
    /// <summary>df: capacity, counts, block health and safe mode.</summary>
    public FsStats FsStats()
    {
        var stats = fs.GetFsStats();
        fs.CountBlockHealth(stats);
        stats.SafeMode = SafeMode().On;
        return stats;
    }

    /// <summary>Every DataNode ever seen, live or dead, with the replicas the NameNode believes it holds.</summary>
    public DataNodeReport DataNodeReport()
    {
        var report = new DataNodeReport();
        var counts = fs.ReplicaCounts();
        foreach (var (info, live) in dataNodes.Snapshot())
        {
            report.Nodes.Add(new DataNodeReportEntry { Info = info, Live = live, BlockCount = counts.GetValueOrDefault(info.Address?.Id ?? "") });
        }
        return report;
    }

    /// <summary>Safe mode only means something on the active NameNode (a standby refuses writes anyway, and is not asked).</summary>
    public SafeModeStatus SafeMode()
    {
        var on = state.IsActive && safeMode.IsOn;
        return new SafeModeStatus { On = on, Reason = on ? safeMode.Reason : "" };
    }

    /// <summary>The role, epoch and journal position of this NameNode; answered in every role.</summary>
    public async Task<HaStatus> HaStatusAsync(CancellationToken cancellationToken)
    {
        var active = state.IsActive;
        var safe = SafeMode();
        long metadataLastTxid;
        try
        {
            metadataLastTxid = (await metadata.GetStatusAsync(new Protocol.Metadata.GetStatusRequest(),
                deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellationToken)).LastTxid;
        }
        catch (RpcException)
        {
            metadataLastTxid = -1;
        }
        return new HaStatus
        {
            MetadataLastTxid = metadataLastTxid,
            NamenodeId = options.Value.Id,
            State = state.RoleName,
            Epoch = state.Epoch,
            LastAppliedTxid = active ? journal.LastTxid : state.LastAppliedTxid,
            SafeMode = safe.On,
            SafeModeReason = safe.Reason,
            LeaderAddress = state.LeaderAddress,
            Registry = registry.Describe(),
            HighAvailability = options.Value.HighAvailability,
        };
    }
}
