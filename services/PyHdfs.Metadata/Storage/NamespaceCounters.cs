namespace PyHdfs.Metadata.Storage;

/// <summary>The meta table's values: where the journal ends, who may write, and the highest ids ever allocated.</summary>
internal sealed record NamespaceCounters(
    long LastTxid, long PromisedEpoch, long LastInodeId, long LastBlockId, long LastGenerationStamp);
