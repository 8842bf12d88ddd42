using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Client.Write;

/// <summary>
/// A packet being filled: room for the 24-byte header and the largest checksum block in front of the
/// data, so the sealed packet goes to the socket as one contiguous write without copying the data again.
/// </summary>
internal sealed class PacketBuffer : IDisposable
{
    private readonly PacketPool? _pool;
    private readonly int _headerRoom;
    private byte[]? _array;
    private int _wireStart;

    /// <summary>A pooled packet holding at most <paramref name="dataCapacity"/> (≤ the pool's packet size) bytes.</summary>
    public PacketBuffer(PacketPool pool, int dataCapacity)
    {
        if (dataCapacity > pool.PacketSize)
        {
            throw new ArgumentOutOfRangeException(nameof(dataCapacity), $"{dataCapacity} exceeds the packet size {pool.PacketSize}");
        }
        _pool = pool;
        _headerRoom = pool.HeaderRoom;
        _array = pool.Rent();
        DataCapacity = dataCapacity;
        BytesPerChecksum = pool.BytesPerChecksum;
    }

    /// <summary>An unpooled packet (the empty end-of-block packet, tests).</summary>
    public PacketBuffer(int dataCapacity, int bytesPerChecksum)
    {
        _headerRoom = PacketHeader.Size + (ChunkChecksums.CountFor(dataCapacity, bytesPerChecksum) * ChunkChecksums.ChecksumSize);
        _array = new byte[_headerRoom + dataCapacity];
        DataCapacity = dataCapacity;
        BytesPerChecksum = bytesPerChecksum;
    }

    public int DataCapacity { get; }
    public int BytesPerChecksum { get; }
    public int DataLength { get; private set; }
    public long SeqNo { get; private set; } = -1;
    public long OffsetInBlock { get; private set; }
    public int Free => DataCapacity - DataLength;

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PacketBuffer));

    public ReadOnlyMemory<byte> Data => Array.AsMemory(_headerRoom, DataLength);

    /// <summary>Copies as much of <paramref name="source"/> as fits; returns the count copied.</summary>
    public int Append(ReadOnlySpan<byte> source)
    {
        var count = Math.Min(Free, source.Length);
        source[..count].CopyTo(Array.AsSpan(_headerRoom + DataLength));
        DataLength += count;
        return count;
    }

    /// <summary>Writes the header and checksums in front of the data.</summary>
    public void Seal(long seqNo, long offsetInBlock, PacketFlags flags)
    {
        SeqNo = seqNo;
        OffsetInBlock = offsetInBlock;
        var checksumBytes = ChunkChecksums.CountFor(DataLength, BytesPerChecksum) * ChunkChecksums.ChecksumSize;
        _wireStart = _headerRoom - checksumBytes - PacketHeader.Size;
        new PacketHeader(seqNo, offsetInBlock, DataLength, flags).Write(Array.AsSpan(_wireStart, PacketHeader.Size));
        ChunkChecksums.Compute(Array.AsSpan(_headerRoom, DataLength), BytesPerChecksum, Array.AsSpan(_headerRoom - checksumBytes, checksumBytes));
    }

    /// <summary>Header, checksums and data as sent on the wire (after <see cref="Seal"/>).</summary>
    public ReadOnlyMemory<byte> Wire => Array.AsMemory(_wireStart, _headerRoom + DataLength - _wireStart);

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            _pool?.Return(array);
        }
    }
}
