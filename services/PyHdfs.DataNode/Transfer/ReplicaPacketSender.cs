using System.Buffers;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// Sends a chunk-aligned range of a finalized replica as packets carrying the stored checksums,
/// then the empty LastPacketInBlock packet. Shared by ReadBlock and re-replication.
/// </summary>
internal static class ReplicaPacketSender
{
    /// <summary>Returns the data bytes sent. <paramref name="start"/> is a chunk boundary; <paramref name="end"/> a chunk boundary or the replica's end.</summary>
    public static async Task<long> SendAsync(Stream stream, ReplicaFileReader files, int bytesPerChecksum, long start, long end,
        int packetBytes, string name, IdleDeadline deadline)
    {
        var packetData = Math.Max(bytesPerChecksum, packetBytes / bytesPerChecksum * bytesPerChecksum);
        var maxChecksums = packetData / bytesPerChecksum * ChunkChecksums.ChecksumSize;
        var buffer = ArrayPool<byte>.Shared.Rent(PacketHeader.Size + maxChecksums + packetData);
        long sent = 0;
        try
        {
            long seqNo = 0;
            for (var position = start; position < end; position += packetData, seqNo++)
            {
                var length = (int)Math.Min(packetData, end - position);
                var checksumBytes = ChunkChecksums.CountFor(length, bytesPerChecksum) * ChunkChecksums.ChecksumSize;
                new PacketHeader(seqNo, position, length, PacketFlags.None).Write(buffer);
                files.ReadChecksums(buffer.AsSpan(PacketHeader.Size, checksumBytes), position / bytesPerChecksum, name);
                files.ReadData(buffer.AsSpan(PacketHeader.Size + checksumBytes, length), position, name);
                await stream.WriteAsync(buffer.AsMemory(0, PacketHeader.Size + checksumBytes + length), deadline.Arm()).ConfigureAwait(false);
                sent += length;
            }
            new PacketHeader(seqNo, end, 0, PacketFlags.LastPacketInBlock).Write(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, PacketHeader.Size), deadline.Arm()).ConfigureAwait(false);
            await stream.FlushAsync(deadline.Arm()).ConfigureAwait(false);
            return sent;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
