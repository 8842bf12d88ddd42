namespace PyHdfs.DataNode.Storage;

/// <summary>
/// A replica being written in rbw: data and checksums are appended in order; <see cref="Finalize"/>
/// makes it durable and visible. A write that ends otherwise (Dispose) leaves the rbw files for a
/// pipeline recovery (<see cref="ReplicaStore.Recover"/>); <see cref="Abort"/> deletes them.
/// </summary>
internal sealed class ReplicaWriter(ReplicaStore store, long blockId, long generationStamp, int bytesPerChecksum, string dataPath, string metaPath)
    : IDisposable
{
    private FileStream? _data;
    private FileStream? _meta;
    private bool _done;
    private long _writebackFrom;

    public long BlockId { get; } = blockId;
    public long GenerationStamp { get; } = generationStamp;
    public int BytesPerChecksum { get; } = bytesPerChecksum;
    public string DataPath { get; } = dataPath;
    public string MetaPath { get; } = metaPath;
    public long Length { get; private set; }

    /// <summary>Bytes the replica held when this writer took it over (0 unless recovering).</summary>
    public long InitialLength { get; private set; }

    internal void Open()
    {
        // bufferSize 0: packets are large; each Append is one write(2) per file.
        _data = new FileStream(DataPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _meta = new FileStream(MetaPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[ReplicaMetaFile.HeaderSize];
        ReplicaMetaFile.WriteHeader(header, BytesPerChecksum);
        _meta.Write(header);
    }

    /// <summary>Continues existing rbw files, cut to <paramref name="length"/> bytes (a chunk boundary or their whole length).</summary>
    internal void OpenTruncated(long length)
    {
        _data = new FileStream(DataPath, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _meta = new FileStream(MetaPath, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _data.SetLength(length);
        _meta.SetLength(ReplicaMetaFile.ExpectedLength(length, BytesPerChecksum));
        _data.Seek(0, SeekOrigin.End);
        _meta.Seek(0, SeekOrigin.End);
        Length = InitialLength = _writebackFrom = length;
    }

    /// <summary>Appends one packet: its data (starting at a chunk boundary) and the checksums of its chunks.</summary>
    public void Append(ReadOnlySpan<byte> data, ReadOnlySpan<byte> checksums)
    {
        _data!.Write(data);
        _meta!.Write(checksums);
        Length += data.Length;
        if (Length - _writebackFrom >= WriteBehind.ChunkBytes)
        {
            WriteBehind.Start(_data.SafeFileHandle, _writebackFrom, Length - _writebackFrom);
            _writebackFrom = Length;
        }
    }

    public void Sync()
    {
        _data!.Flush(flushToDisk: true);
        _meta!.Flush(flushToDisk: true);
    }

    /// <summary>Closes the files and renames the replica into finalized; with <paramref name="sync"/> both the files and the renames are fsynced first.</summary>
    public ReplicaFiles Finalize(bool sync)
    {
        if (sync)
        {
            Sync();
        }
        _data!.Dispose();
        _meta!.Dispose();
        var replica = store.Commit(this, sync);
        _done = true;
        store.Release(this);
        return replica;
    }

    /// <summary>Deletes the rbw files: the replica can never be useful (it could not even be created).</summary>
    public void Abort()
    {
        if (Close())
        {
            ReplicaStore.TryDelete(DataPath);
            ReplicaStore.TryDelete(MetaPath);
        }
    }

    /// <summary>Keeps the rbw files for a pipeline recovery; the abandoned-replica sweep removes them if none comes.</summary>
    public void Dispose() => Close();

    private bool Close()
    {
        if (_done)
        {
            return false;
        }
        _done = true;
        _data?.Dispose();
        _meta?.Dispose();
        store.Release(this);
        return true;
    }
}
