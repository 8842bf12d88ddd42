namespace PyHdfs.DataNode.Storage;

/// <summary>
/// A replica being written in rbw: data and checksums are appended in order; <see cref="Finalize"/>
/// makes it durable and visible, anything else (<see cref="Abort"/>, Dispose) deletes it.
/// </summary>
internal sealed class ReplicaWriter(ReplicaStore store, long blockId, long generationStamp, int bytesPerChecksum, string dataPath, string metaPath)
    : IDisposable
{
    private FileStream? _data;
    private FileStream? _meta;
    private bool _done;

    public long BlockId { get; } = blockId;
    public long GenerationStamp { get; } = generationStamp;
    public int BytesPerChecksum { get; } = bytesPerChecksum;
    public string DataPath { get; } = dataPath;
    public string MetaPath { get; } = metaPath;
    public long Length { get; private set; }

    internal void Open()
    {
        // bufferSize 0: packets are large; each Append is one write(2) per file.
        _data = new FileStream(DataPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _meta = new FileStream(MetaPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[ReplicaMetaFile.HeaderSize];
        ReplicaMetaFile.WriteHeader(header, BytesPerChecksum);
        _meta.Write(header);
    }

    /// <summary>Appends one packet: its data (starting at a chunk boundary) and the checksums of its chunks.</summary>
    public void Append(ReadOnlySpan<byte> data, ReadOnlySpan<byte> checksums)
    {
        _data!.Write(data);
        _meta!.Write(checksums);
        Length += data.Length;
    }

    public void Sync()
    {
        _data!.Flush(flushToDisk: true);
        _meta!.Flush(flushToDisk: true);
    }

    /// <summary>Closes the files (after an fsync when <paramref name="sync"/>) and renames the replica into finalized.</summary>
    public ReplicaFiles Finalize(bool sync)
    {
        if (sync)
        {
            Sync();
        }
        _data!.Dispose();
        _meta!.Dispose();
        var replica = store.Commit(this);
        _done = true;
        store.Release(this);
        return replica;
    }

    public void Abort()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        _data?.Dispose();
        _meta?.Dispose();
        ReplicaStore.TryDelete(DataPath);
        ReplicaStore.TryDelete(MetaPath);
        store.Release(this);
    }

    public void Dispose() => Abort();
}
