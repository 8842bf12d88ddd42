using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PyHdfs.DataNode.Transfer;

internal static class DataNodeTelemetry
{
    public const string Name = "PyHdfs.DataNode";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);
    public static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>("pyhdfs.datanode.bytes_written", "By");
    public static readonly Counter<long> BytesRead = Meter.CreateCounter<long>("pyhdfs.datanode.bytes_read", "By");
    public static readonly Counter<long> BlocksWritten = Meter.CreateCounter<long>("pyhdfs.datanode.blocks_written");
    /// <summary>Acks this DataNode sent upstream, one per packet (with the statuses of every node below it).</summary>
    public static readonly Counter<long> PipelineAcks = Meter.CreateCounter<long>("pyhdfs.datanode.pipeline_acks");
    public static readonly Counter<long> FailedOps = Meter.CreateCounter<long>("pyhdfs.datanode.failed_ops");
}
