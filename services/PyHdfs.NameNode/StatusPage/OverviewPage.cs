using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Services;
using PyHdfs.NameNode.Startup;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>
/// The overview at <c>/</c>, like HDFS's dfshealth page: this NameNode's role and journal position,
/// safe mode, the cluster summary and the DataNodes. Rendered in every role: a standby shows what
/// it knows (it tails the journal and takes block reports).
/// </summary>
internal sealed class OverviewPage(NameNodeReports reports, FsNamespace fs, NameNodeState state, TimeProvider time)
{
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var ha = await reports.HaStatusAsync(cancellationToken);
        var body = new HtmlWriter();
        WriteNameNode(body, ha);
        if (state.IsLoaded)
        {
            WriteSummary(body, reports.FsStats(), fs.CountBlocksByHealth());
            WriteDataNodes(body, reports.DataNodeReport(), time.GetUtcNow());
        }
        else
        {
            body.Append($"""<p class="message warning" id="not-loaded">The namespace is not loaded yet ({state.StartupStep}): no summary until it is.</p>""");
        }
        body.Append($"""<p class="mono">Rendered at {DisplayFormat.Time(time.GetUtcNow().ToUnixTimeMilliseconds())}.</p>""");
        return StatusPageLayout.Render("Overview", ha.NamenodeId, ha.State, StatusPageLayout.OverviewTab, body.ToFragment());
    }

    private void WriteNameNode(HtmlWriter html, HaStatus ha)
    {
        var safeMode = ha.State != "active"
            ? HtmlWriter.Fragment($"not applicable ({ha.State}: only the active NameNode serves writes)")
            : ha.SafeMode
                ? HtmlWriter.Fragment($"""<span class="bad">ON</span>: {ha.SafeModeReason}""")
                : HtmlWriter.Fragment($"""<span class="ok">OFF</span>""");
        var consequence = ha.HighAvailability
            ? "the active NameNode keeps serving; no failover can happen until it is back"
            : "this NameNode keeps serving; the registry only tracks DataNodes";
        var registry = ha.Registry == "reachable"
            ? HtmlWriter.Fragment($"""<span class="ok">reachable</span>""")
            : HtmlWriter.Fragment($"""<span class="bad">{ha.Registry}</span>: {consequence}""");
        var metadataTxid = ha.MetadataLastTxid < 0 ? "unreachable" : ha.MetadataLastTxid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        html.Append($"""
            <h2>NameNode</h2>
            <table class="kv" id="namenode">
            <tr><th>NameNode id</th><td>{ha.NamenodeId}</td></tr>
            <tr><th>HA role</th><td id="ha-role">{ha.State}{(state.IsActive ? "" : $" ({state.StartupStep})")}</td></tr>
            <tr><th>Journal epoch</th><td id="epoch">{ha.Epoch}</td></tr>
            <tr><th>Last applied txid</th><td>{ha.LastAppliedTxid}</td></tr>
            <tr><th>Metadata service last txid</th><td>{metadataTxid}</td></tr>
            <tr><th>Leader address</th><td class="mono">{(ha.LeaderAddress.Length == 0 ? "-" : ha.LeaderAddress)}</td></tr>
            <tr><th>Registry (Redis)</th><td id="registry">{registry}</td></tr>
            <tr><th>Safe mode</th><td id="safe-mode">{safeMode}</td></tr>
            <tr><th>Permission checks</th><td>{(fs.PermissionsEnabled ? "on" : "off")}; the browser reads as <b>{NamespaceBrowser.WebUser}</b></td></tr>
            </table>
            """);
    }

    private static void WriteSummary(HtmlWriter html, FsStats stats, BlockHealthCounts health)
    {
        html.Append($"""
            <h2>Summary</h2>
            <table class="kv" id="summary">
            <tr><th>Configured capacity</th><td class="num">{DisplayFormat.Bytes(stats.CapacityBytes)}</td></tr>
            <tr><th>Used</th><td class="num">{DisplayFormat.Bytes(stats.UsedBytes)} ({DisplayFormat.Percent(stats.UsedBytes, stats.CapacityBytes)})</td></tr>
            <tr><th>Remaining</th><td class="num">{DisplayFormat.Bytes(stats.RemainingBytes)} ({DisplayFormat.Percent(stats.RemainingBytes, stats.CapacityBytes)})</td></tr>
            <tr><th>Files</th><td class="num" id="files">{stats.TotalFiles}</td></tr>
            <tr><th>Directories</th><td class="num" id="directories">{stats.TotalDirectories}</td></tr>
            <tr><th>Blocks</th><td class="num" id="blocks">{stats.TotalBlocks}</td></tr>
            <tr><th>Live DataNodes</th><td class="num" id="live-datanodes">{stats.LiveDatanodes}</td></tr>
            <tr><th>Dead DataNodes</th><td class="num" id="dead-datanodes">{stats.DeadDatanodes}</td></tr>
            <tr><th>Under-replicated blocks</th><td class="num" id="under-replicated">{health.UnderReplicated}</td></tr>
            <tr><th>Corrupt blocks</th><td class="num" id="corrupt">{health.Corrupt}</td></tr>
            <tr><th>Missing blocks</th><td class="num" id="missing">{health.Missing}</td></tr>
            <tr><th>Over-replicated blocks</th><td class="num">{health.OverReplicated}</td></tr>
            </table>
            """);
    }

    private static void WriteDataNodes(HtmlWriter html, DataNodeReport report, DateTimeOffset now)
    {
        WriteDataNodeTable(html, "Live DataNodes", "live-nodes", [.. report.Nodes.Where(n => n.Live)], now);
        WriteDataNodeTable(html, "Dead DataNodes", "dead-nodes", [.. report.Nodes.Where(n => !n.Live)], now);
    }

    private static void WriteDataNodeTable(HtmlWriter html, string title, string id, IReadOnlyList<DataNodeReportEntry> nodes, DateTimeOffset now)
    {
        html.Append($"<h2>{title} ({nodes.Count})</h2>");
        if (nodes.Count == 0)
        {
            html.Append($"""<p id="{id}-none">None.</p>""");
            return;
        }
        html.Append($"""
            <table id="{id}">
            <tr><th>DataNode</th><th>Data address</th><th>Capacity</th><th>Used</th><th>Remaining</th><th>Blocks</th><th>Last heartbeat</th></tr>
            """);
        foreach (var node in nodes)
        {
            var info = node.Info;
            html.Append($"""
                <tr data-datanode="{info.Address.Id}"><td>{info.Address.Id}</td><td class="mono">{info.Address.Host}:{info.Address.DataPort}</td>
                <td class="num">{DisplayFormat.Bytes(info.CapacityBytes)}</td>
                <td class="num">{DisplayFormat.Bytes(info.UsedBytes)} ({DisplayFormat.Percent(info.UsedBytes, info.CapacityBytes)})</td>
                <td class="num">{DisplayFormat.Bytes(info.RemainingBytes)}</td>
                <td class="num">{node.BlockCount}</td>
                <td title="{DisplayFormat.Time(info.LastHeartbeatUnixMs)}">{DisplayFormat.Ago(info.LastHeartbeatUnixMs, now)}</td></tr>
                """);
        }
        html.Append($"</table>");
    }
}
