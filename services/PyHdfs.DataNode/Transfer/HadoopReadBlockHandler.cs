using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using PyHdfs.DataNode.Control;
using PyHdfs.DataNode.Security;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.DataTransfer.Hadoop;
using PyHdfs.Protocol.Hadoop;
using PyHdfs.Protocol.Security;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// Hadoop's READ_BLOCK (reference §3.4) from the same replicas our own ReadBlock serves: each of our
/// stored chunks (64 KiB CRC32) is verified before it is sent, then re-checksummed as Hadoop's 512-byte
/// CRC32 chunks, in packets of up to 64 KiB. A chunk that fails verification is reported to the
/// NameNode and ends the connection, so the client moves to its next location instead of getting bad data.
/// </summary>
internal sealed partial class HadoopReadBlockHandler(
    ReplicaStore store,
    DataNodeIdentity identity,
    BlockAccessGuard access,
    IServiceProvider services,
    ILogger<HadoopReadBlockHandler> logger)
{
    public const int HadoopBytesPerChecksum = 512;
    private const int PacketDataBytes = 64 * 1024;

    public async Task HandleAsync(Stream stream, string peer, IdleDeadline deadline)
    {
        var body = await HadoopDelimited.ReadAsync(stream, deadline).ConfigureAwait(false);
        var op = TransferFraming.ParseOrThrow(OpReadBlockProto.Parser, body);
        var replica = await FindReplicaAsync(stream, op.Header.BaseHeader, "Hadoop READ_BLOCK", peer, deadline).ConfigureAwait(false);
        if (replica is null)
        {
            return;
        }
        var name = $"blk_{replica.BlockId}_{op.Header.BaseHeader.Block.GenerationStamp}";
        var ourChunk = replica.BytesPerChecksum;
        if (op.Offset > (ulong)replica.Length || op.Len > (ulong)replica.Length - op.Offset || ourChunk % HadoopBytesPerChecksum != 0)
        {
            var reason = ourChunk % HadoopBytesPerChecksum != 0
                ? $"{name}: stored in {ourChunk}-byte chunks, which Hadoop's 512-byte chunks cannot tile"
                : $"{name}: range {op.Offset}+{op.Len} is outside the replica of {replica.Length} bytes";
            await RespondAsync(stream, DataTransferStatus.ErrorInvalid, reason, deadline).ConfigureAwait(false);
            return;
        }

        var offset = (long)op.Offset;
        var end = offset + (long)op.Len;
        var start = offset - (offset % ourChunk);
        ReplicaFileReader files;
        try
        {
            files = ReplicaFileReader.Open(replica);
        }
        catch (IOException e)
        {
            await RespondAsync(stream, DataTransferStatus.Error, $"{name}: replica files unreadable on DataNode {identity.Id}: {e.Message}", deadline).ConfigureAwait(false);
            return;
        }
        using (files)
        {
            await HadoopDelimited.WriteAsync(stream, new BlockOpResponseProto
            {
                Status = DataTransferStatus.Success,
                ReadOpChecksumInfo = new ReadOpChecksumInfoProto
                {
                    Checksum = new ChecksumProto { Type = ChecksumTypeProto.ChecksumCrc32, BytesPerChecksum = HadoopBytesPerChecksum },
                    ChunkOffset = (ulong)start,
                },
            }, deadline.Arm()).ConfigureAwait(false);
            var sendEnd = Math.Min(replica.Length, (end + ourChunk - 1) / ourChunk * ourChunk);
            await SendPacketsAsync(stream, files, replica, start, sendEnd, name, deadline).ConfigureAwait(false);
        }
    }

    private async Task SendPacketsAsync(Stream stream, ReplicaFileReader files, ReplicaFiles replica, long start, long end, string name, IdleDeadline deadline)
    {
        var ourChunk = replica.BytesPerChecksum;
        var packetData = Math.Max(ourChunk, PacketDataBytes / ourChunk * ourChunk);
        var frame = HadoopPacketHeader.PrefixSize + HadoopPacketHeader.ProtoSize;
        var hadoopChecksums = packetData / HadoopBytesPerChecksum * ChunkChecksums.ChecksumSize;
        var buffer = ArrayPool<byte>.Shared.Rent(frame + hadoopChecksums + packetData);
        long sent = 0;
        try
        {
            long seqNo = 0;
            for (var position = start; position < end; position += packetData, seqNo++)
            {
                var length = (int)Math.Min(packetData, end - position);
                var checksumBytes = ChunkChecksums.CountFor(length, HadoopBytesPerChecksum) * ChunkChecksums.ChecksumSize;
                var data = buffer.AsSpan(frame + checksumBytes, length);
                if (files.ReadVerified(data, position, ourChunk, name) is var bad and >= 0)
                {
                    await ReportCorruptAsync(replica, bad, name).ConfigureAwait(false);
                    return;
                }
                ChunkChecksums.Compute(data, HadoopBytesPerChecksum, buffer.AsSpan(frame, checksumBytes));
                new HadoopPacketHeader(position, seqNo, false, length, false).WriteFrame(buffer, HadoopBytesPerChecksum);
                await stream.WriteAsync(buffer.AsMemory(0, frame + checksumBytes + length), deadline.Arm()).ConfigureAwait(false);
                sent += length;
            }
            new HadoopPacketHeader(end, seqNo, true, 0, false).WriteFrame(buffer, HadoopBytesPerChecksum);
            await stream.WriteAsync(buffer.AsMemory(0, frame), deadline.Arm()).ConfigureAwait(false);
            await stream.FlushAsync(deadline.Arm()).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            DataNodeTelemetry.BytesRead.Add(sent);
        }
    }

    /// <summary>The finalized replica the op names, once its token allows it; null after the refusal was answered.</summary>
    private async Task<ReplicaFiles?> FindReplicaAsync(Stream stream, BaseHeaderProto header, string what, string peer, IdleDeadline deadline)
    {
        var block = header.Block;
        var name = $"blk_{block.BlockId}_{block.GenerationStamp}";
        var blockId = (long)Math.Min(block.BlockId, long.MaxValue);
        if (!ReplicaLayout.IsValidBlockId(blockId))
        {
            await RespondAsync(stream, DataTransferStatus.ErrorInvalid, $"{name}: not a block id of this file system", deadline).ConfigureAwait(false);
            return null;
        }
        var token = header.Token?.Identifier ?? ByteString.Empty;
        if (access.Refusal(token, blockId, BlockAccessMode.Read, what, peer) is { } refusal)
        {
            await RespondAsync(stream, DataTransferStatus.ErrorAccessToken, $"{name}: read refused by DataNode {identity.Id}: {refusal}", deadline).ConfigureAwait(false);
            return null;
        }
        var replica = store.Get(blockId);
        if (replica is null || replica.GenerationStamp < (long)block.GenerationStamp)
        {
            await RespondAsync(stream, DataTransferStatus.Error, $"{name}: no finalized replica on DataNode {identity.Id}", deadline).ConfigureAwait(false);
            return null;
        }
        return replica;
    }

    private async Task ReportCorruptAsync(ReplicaFiles replica, long chunkOffset, string name)
    {
        var reason = $"{name}: checksum mismatch in the chunk at offset {chunkOffset} on DataNode {identity.Id}";
        logger.LogWarning("Hadoop READ_BLOCK: {Reason}; not sent, the client moves to another replica", reason);
        // Resolved here: the reporter needs DataNodeStatus, which needs the TransferServer that owns this handler.
        await services.GetRequiredService<BadReplicaReporter>().ReportAsync(new Protocol.BlockRef { BlockId = replica.BlockId, GenerationStamp = replica.GenerationStamp, NumBytes = replica.Length },
            reason, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Error replies always carry a message, which keeps them above the client's 5-byte first read.</summary>
    private static async Task RespondAsync(Stream stream, DataTransferStatus status, string message, IdleDeadline deadline) =>
        await HadoopDelimited.WriteAsync(stream, new BlockOpResponseProto { Status = status, Message = message }, deadline.Arm()).ConfigureAwait(false);
}
