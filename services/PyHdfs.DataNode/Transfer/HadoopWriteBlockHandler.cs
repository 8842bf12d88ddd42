using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Hadoop;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// Hadoop's WRITE_BLOCK (reference §3.5) through our own write path: the op becomes our WriteBlockHeader
/// and the same <see cref="BlockWriteHandler"/> and BlockReceiver verify, store and forward it. The replica
/// keeps the client's 512-byte CRC32 chunks (docs/hadoop.md says why), so each packet is stored and sent
/// downstream, in our framing, without computing a checksum again. Only new blocks are served: append and
/// pipeline recovery stages, and checksum types other than CRC32, answer ERROR_UNSUPPORTED.
/// </summary>
internal sealed class HadoopWriteBlockHandler(BlockWriteHandler writes, ILogger<HadoopWriteBlockHandler> logger)
{
    private readonly TransferLimits _limits = TransferLimits.Default;

    public async Task HandleAsync(Stream stream, string peer, IdleDeadline deadline)
    {
        var op = TransferFraming.ParseOrThrow(OpWriteBlockProto.Parser, await HadoopDelimited.ReadAsync(stream, deadline).ConfigureAwait(false));
        var block = op.Header.BaseHeader.Block;
        var name = $"blk_{block.BlockId}_{block.GenerationStamp}";
        var checksum = op.RequestedChecksum;
        using var upstream = new HadoopWriteUpstream(stream, (int)Math.Min(checksum.BytesPerChecksum, int.MaxValue), _limits);
        if (Unsupported(op, name) is { } reason)
        {
            logger.LogWarning("Hadoop WRITE_BLOCK from {Peer} refused: {Reason}", peer, reason);
            await HadoopDelimited.WriteAsync(stream, new BlockOpResponseProto { Status = DataTransferStatus.ErrorUnsupported, Message = reason }, deadline.Arm()).ConfigureAwait(false);
            return;
        }
        var header = new WriteBlockHeader
        {
            Block = block.ToBlockRef(),
            ClientName = op.Header.ClientName,
            AccessToken = op.Header.BaseHeader.Token?.Identifier ?? ByteString.Empty,
            BytesPerChecksum = (int)checksum.BytesPerChecksum,
            Stage = WriteStage.Create,
        };
        header.Downstream.AddRange(op.Targets.Select(t => new DataNodeAddress
        {
            Id = t.Id.DatanodeUuid,
            Host = t.Id.IpAddr,
            DataPort = (int)Math.Min(t.Id.XferPort, int.MaxValue),
        }));
        await writes.ReceiveAsync(upstream, header, peer, deadline).ConfigureAwait(false);
    }

    private static string? Unsupported(OpWriteBlockProto op, string name)
    {
        if (op.Stage != BlockConstructionStage.PipelineSetupCreate)
        {
            return $"{name}: write stage {op.Stage} is not served; this DataNode takes new blocks only (PIPELINE_SETUP_CREATE), not append or pipeline recovery";
        }
        if (op.RequestedChecksum.Type != ChecksumTypeProto.ChecksumCrc32)
        {
            return $"{name}: checksum type {op.RequestedChecksum.Type} is not served; write with CRC32 (dfs.checksum.type=CRC32)";
        }
        if (op.RequestedChecksum.BytesPerChecksum is < 512 or > 64 * 1024)
        {
            return $"{name}: {op.RequestedChecksum.BytesPerChecksum} bytes per checksum is outside 512..65536";
        }
        return null;
    }
}
