using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using Google.Protobuf;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.DataNode.Transfer;

internal sealed partial class HadoopReadBlockHandler
{
    /// <summary>
    /// Hadoop's BLOCK_CHECKSUM (reference §3.6): the MD5 of the big-endian CRC32 of every 512-byte chunk of the
    /// block's first numBytes bytes, from data verified against our stored CRCs on the way (a corrupt chunk is
    /// reported and answered ERROR_CHECKSUM, never hashed).
    /// </summary>
    public async Task ChecksumAsync(Stream stream, string peer, IdleDeadline deadline)
    {
        var op = TransferFraming.ParseOrThrow(OpBlockChecksumProto.Parser, await HadoopDelimited.ReadAsync(stream, deadline).ConfigureAwait(false));
        var replica = await FindReplicaAsync(stream, op.Header, "Hadoop BLOCK_CHECKSUM", peer, deadline).ConfigureAwait(false);
        if (replica is null)
        {
            return;
        }
        var name = $"blk_{replica.BlockId}_{op.Header.Block.GenerationStamp}";
        var length = op.Header.Block.NumBytes == 0 ? replica.Length : (long)Math.Min(op.Header.Block.NumBytes, long.MaxValue);
        if (length > replica.Length || replica.BytesPerChecksum % HadoopBytesPerChecksum != 0)
        {
            await RespondAsync(stream, DataTransferStatus.ErrorInvalid, length > replica.Length
                ? $"{name}: {length} bytes asked, the replica on DataNode {identity.Id} holds {replica.Length}"
                : $"{name}: stored in {replica.BytesPerChecksum}-byte chunks, which Hadoop's 512-byte chunks cannot tile", deadline).ConfigureAwait(false);
            return;
        }
        byte[] md5;
        using (var files = ReplicaFileReader.Open(replica))
        {
            var corrupt = Md5OfChunkCrcs(files, replica, length, name, out md5);
            if (corrupt >= 0)
            {
                await ReportCorruptAsync(replica, corrupt, name).ConfigureAwait(false);
                await RespondAsync(stream, DataTransferStatus.ErrorChecksum, $"{name}: checksum mismatch in the chunk at offset {corrupt} on DataNode {identity.Id}", deadline).ConfigureAwait(false);
                return;
            }
        }
        await HadoopDelimited.WriteAsync(stream, new BlockOpResponseProto
        {
            Status = DataTransferStatus.Success,
            ChecksumResponse = new OpBlockChecksumResponseProto
            {
                BytesPerCrc = HadoopBytesPerChecksum,
                CrcPerBlock = (ulong)ChunkChecksums.CountFor(length, HadoopBytesPerChecksum),
                BlockChecksum = ByteString.CopyFrom(md5),
                CrcType = ChecksumTypeProto.ChecksumCrc32,
            },
        }, deadline.Arm()).ConfigureAwait(false);
    }

    /// <summary>Returns −1 with the MD5, or the offset of the first corrupt chunk.</summary>
    private static long Md5OfChunkCrcs(ReplicaFileReader files, ReplicaFiles replica, long length, string name, out byte[] md5)
    {
        var window = Math.Max(replica.BytesPerChecksum, PacketDataBytes / replica.BytesPerChecksum * replica.BytesPerChecksum);
        var data = ArrayPool<byte>.Shared.Rent(window);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Span<byte> crc = stackalloc byte[ChunkChecksums.ChecksumSize];
        md5 = [];
        try
        {
            for (long position = 0; position < length; position += window)
            {
                // Verified in whole stored chunks, hashed only up to the length asked for.
                var stored = (int)Math.Min(window, replica.Length - position);
                var chunk = data.AsSpan(0, stored);
                if (files.ReadVerified(chunk, position, replica.BytesPerChecksum, name) is var bad and >= 0)
                {
                    return bad;
                }
                var hashed = chunk[..(int)Math.Min(stored, length - position)];
                for (var at = 0; at < hashed.Length; at += HadoopBytesPerChecksum)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(hashed.Slice(at, Math.Min(HadoopBytesPerChecksum, hashed.Length - at))));
                    hash.AppendData(crc);
                }
            }
            md5 = hash.GetHashAndReset();
            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}
