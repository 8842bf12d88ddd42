namespace PyHdfs.Client.Write;

/// <summary>A write pipeline failed; <see cref="BadNodeId"/> is the DataNode to blame (exclude) when known.</summary>
internal sealed class PipelineException(string? badNodeId, string message, Exception? inner = null) : IOException(message, inner)
{
    public string? BadNodeId { get; } = badNodeId;
}
