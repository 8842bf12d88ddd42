using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace PyHdfs.NameNode;

internal static class Telemetry
{
    public const string Name = "PyHdfs.NameNode";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Entries per group-committed Append to the metadata service.</summary>
    public static readonly Histogram<long> JournalBatchEntries = Meter.CreateHistogram<long>("pyhdfs.namenode.journal.batch_entries");

    /// <summary>Time from sending a journal batch to its acknowledgement by the metadata service.</summary>
    public static readonly Histogram<double> JournalBatchLatency = Meter.CreateHistogram<double>("pyhdfs.namenode.journal.batch_latency", "ms");

    /// <summary>
    /// Live and dead DataNodes and the blocks waiting for replication, observed when the exporter asks
    /// (every second under Aspire): each callback copies a small list or reads a counter, never the block map.
    /// </summary>
    public static void ObserveCluster(Namespace.FsNamespace fs)
    {
        Meter.CreateObservableGauge("pyhdfs.namenode.datanodes.live", () => fs.DataNodes.Snapshot().Count(n => n.Live));
        Meter.CreateObservableGauge("pyhdfs.namenode.datanodes.dead", () => fs.DataNodes.Snapshot().Count(n => !n.Live));
        Meter.CreateObservableGauge("pyhdfs.namenode.blocks.needing_replication", () => fs.Replication.NeededCount);
    }

    /// <summary>
    /// The span of one group-committed Append to the metadata service. The journal writes on a
    /// background loop, so the span is parented to the first waiting request and linked to the
    /// others in the batch: each of their traces leads to the journal write that made them durable.
    /// </summary>
    public static Activity? StartJournalAppend(IReadOnlyList<ActivityContext> callers, long firstTxid, long lastTxid)
    {
        var parent = callers.Count > 0 ? callers[0] : default;
        var links = callers.Skip(1).Select(c => new ActivityLink(c));
        var activity = Source.StartActivity(ActivityKind.Client, parent, links: links,
            name: string.Create(CultureInfo.InvariantCulture, $"namenode journal append txid {firstTxid}..{lastTxid}"));
        activity?.SetTag("pyhdfs.txid.first", firstTxid);
        activity?.SetTag("pyhdfs.txid.last", lastTxid);
        activity?.SetTag("pyhdfs.batch_requests", callers.Count);
        return activity;
    }
}
