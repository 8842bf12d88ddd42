using System.Diagnostics;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Security;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// ReadBlock: streams a finalized replica from the chunk boundary at or before the requested
/// offset, each packet carrying the checksums stored at write time (the reader verifies them end
/// to end), then an empty packet flagged LastPacketInBlock.
/// </summary>
internal sealed class BlockReadHandler(
    ReplicaStore store,
    DataNodeIdentity identity,
    BlockAccessGuard access,
    IOptions<DataNodeOptions> options,
    ILogger<BlockReadHandler> logger)
{
    private readonly TransferLimits _limits = TransferLimits.Default;

    public async Task HandleAsync(Stream stream, byte[] headerBytes, string peer, IdleDeadline deadline)
    {
        var header = TransferFraming.ParseOrThrow(ReadBlockHeader.Parser, headerBytes);
        if (header.Block is null || !ReplicaLayout.IsValidBlockId(header.Block.BlockId) || header.Offset < 0 || header.Length < 0)
        {
            var reason = header.Block is null
                ? "the header names no block"
                : $"invalid read of block id {header.Block.BlockId} at offset {header.Offset} length {header.Length}";
            logger.LogWarning("ReadBlock from {Peer} rejected: {Reason}", peer, reason);
            await RespondAsync(stream, new OpResponse { Status = TransferStatus.ErrorInvalid, Message = reason }, deadline).ConfigureAwait(false);
            return;
        }
        var block = header.Block;
        var name = $"blk_{block.BlockId}_{block.GenerationStamp}";
        using var activity = DataNodeTelemetry.Source.StartActivity(
            $"datanode read blk_{block.BlockId}", ActivityKind.Server, TraceContext.Parse(header.Traceparent, header.Tracestate));
        activity?.SetTag("pyhdfs.block_id", block.BlockId);
        activity?.SetTag("pyhdfs.datanode", identity.Id);

        if (access.Refusal(header.AccessToken, block.BlockId, BlockAccessMode.Read, "ReadBlock", peer) is { } refusal)
        {
            var message = $"{name}: read refused by DataNode {identity.Id}: {refusal}";
            activity?.SetStatus(ActivityStatusCode.Error, message);
            await RespondAsync(stream, new OpResponse { Status = TransferStatus.ErrorAccessToken, Message = message }, deadline).ConfigureAwait(false);
            return;
        }

        var replica = store.Get(block.BlockId);
        if (replica is null || replica.GenerationStamp < block.GenerationStamp)
        {
            var message = replica is null
                ? $"{name}: no finalized replica on DataNode {identity.Id}"
                : $"{name}: DataNode {identity.Id} holds only the stale replica blk_{block.BlockId}_{replica.GenerationStamp}";
            logger.LogInformation("ReadBlock from {Peer}: {Reason}", peer, message);
            activity?.SetStatus(ActivityStatusCode.Error, message);
            await RespondAsync(stream, new OpResponse { Status = TransferStatus.ErrorNotFound, Message = message }, deadline).ConfigureAwait(false);
            return;
        }
        var end = header.Length == 0 ? replica.Length : header.Offset + header.Length;
        if (header.Offset > replica.Length || end > replica.Length || end < header.Offset)
        {
            var message = $"{name}: range [{header.Offset}, {end}) is outside the replica of {replica.Length} bytes";
            logger.LogWarning("ReadBlock from {Peer} rejected: {Reason}", peer, message);
            await RespondAsync(stream, new OpResponse { Status = TransferStatus.ErrorInvalid, Message = message }, deadline).ConfigureAwait(false);
            return;
        }

        var bytesPerChecksum = replica.BytesPerChecksum;
        var chunkOffset = header.Offset - (header.Offset % bytesPerChecksum);
        // The last packet ends at the chunk boundary after `end` (or the replica's end), so every chunk sent is whole and verifiable.
        var sendEnd = Math.Min(replica.Length, (end + bytesPerChecksum - 1) / bytesPerChecksum * bytesPerChecksum);
        if (end == header.Offset)
        {
            sendEnd = chunkOffset;
        }
        ReplicaFileReader? files = null;
        try
        {
            files = ReplicaFileReader.Open(replica);
        }
        catch (IOException e)
        {
            var message = $"{name}: replica files unreadable on DataNode {identity.Id}: {e.Message}";
            logger.LogWarning("ReadBlock from {Peer}: {Reason}", peer, message);
            await RespondAsync(stream, new OpResponse { Status = TransferStatus.ErrorNotFound, Message = message }, deadline).ConfigureAwait(false);
            return;
        }
        using (files)
        {
            await RespondAsync(stream, new OpResponse
            {
                Status = TransferStatus.Success,
                BytesPerChecksum = bytesPerChecksum,
                ChunkOffset = chunkOffset,
                ReplicaLength = replica.Length,
            }, deadline).ConfigureAwait(false);

            long sent = 0;
            try
            {
                sent = await ReplicaPacketSender.SendAsync(stream, files, bytesPerChecksum, chunkOffset, sendEnd,
                    options.Value.ReadPacketBytes, name, deadline).ConfigureAwait(false);
            }
            finally
            {
                DataNodeTelemetry.BytesRead.Add(sent);
                activity?.SetTag("pyhdfs.bytes", sent);
            }
        }
    }

    private static async Task RespondAsync(Stream stream, OpResponse response, IdleDeadline deadline) =>
        await TransferFraming.WriteMessageAsync(stream, response, deadline.Arm()).ConfigureAwait(false);
}
