using System.Collections.Concurrent;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Client.Write;

/// <summary>
/// Exact-size packet arrays for one output stream. The ack window bounds how many are in use, so the
/// pool (and the stream's memory) stays at about window x packet size whatever the file size, without
/// the power-of-two rounding and large-object churn of the shared ArrayPool.
/// </summary>
internal sealed class PacketPool(int packetSize, int bytesPerChecksum, int maxRetained)
{
    private readonly ConcurrentQueue<byte[]> _free = new();

    public int PacketSize { get; } = packetSize;
    public int BytesPerChecksum { get; } = bytesPerChecksum;
    public int HeaderRoom { get; } = PacketHeader.Size + (ChunkChecksums.CountFor(packetSize, bytesPerChecksum) * ChunkChecksums.ChecksumSize);

    public byte[] Rent() => _free.TryDequeue(out var array) ? array : new byte[HeaderRoom + PacketSize];

    public void Return(byte[] array)
    {
        if (array.Length == HeaderRoom + PacketSize && _free.Count < maxRetained)
        {
            _free.Enqueue(array);
        }
    }
}
