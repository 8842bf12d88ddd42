using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.DataNode.WebHdfs;

internal sealed partial class DataNodeWebHdfsHandler
{
    /// <summary>Bytes covered by each CRC of the checksum (Hadoop's dfs.bytes-per-checksum default).</summary>
    private const int BytesPerCrc = 512;

    /// <summary>
    /// Hadoop's MD5MD5CRC32 file checksum, computed from the file's bytes read (and verified) through the client: per
    /// block, the MD5 of the big-endian CRC32 of every 512-byte chunk; for the file, the MD5 of the blocks' MD5s. Its
    /// <c>bytes</c> are bytesPerCRC (4), crcPerBlock (8, 0 for a single block) and the MD5 (16), as Hadoop writes them, so
    /// two copies of a file with the same block size compare equal (distcp's check), here or on Hadoop with CRC32.
    /// </summary>
    private async Task ChecksumAsync(HttpContext context, string path, string user)
    {
        await using var input = await clients.For(user).OpenAsync(path, context.RequestAborted).ConfigureAwait(false);
        var blockSize = input.Status.BlockSizeBytes;
        using var fileMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var chunk = new byte[BytesPerCrc];
        var crc = new byte[4];
        long blocks = 0;
        for (long blockStart = 0; blockStart < input.Length; blockStart += blockSize)
        {
            using var blockMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var blockEnd = Math.Min(input.Length, blockStart + blockSize);
            for (var at = blockStart; at < blockEnd; at += BytesPerCrc)
            {
                var count = (int)Math.Min(BytesPerCrc, blockEnd - at);
                await input.ReadExactlyAsync(chunk.AsMemory(0, count), context.RequestAborted).ConfigureAwait(false);
                BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(chunk.AsSpan(0, count)));
                blockMd5.AppendData(crc);
            }
            fileMd5.AppendData(blockMd5.GetHashAndReset());
            blocks++;
        }
        var crcPerBlock = blocks > 1 ? blockSize / BytesPerCrc : 0;
        var bytes = new byte[4 + 8 + 16];
        BinaryPrimitives.WriteInt32BigEndian(bytes, BytesPerCrc);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), crcPerBlock);
        fileMd5.GetHashAndReset().CopyTo(bytes, 12);
        await WebHdfsResponses.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("FileChecksum");
            json.WriteString("algorithm", string.Create(CultureInfo.InvariantCulture, $"MD5-of-{crcPerBlock}MD5-of-{BytesPerCrc}CRC32"));
            json.WriteString("bytes", Convert.ToHexStringLower(bytes));
            json.WriteNumber("length", bytes.Length);
            json.WriteEndObject();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
