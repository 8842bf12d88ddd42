using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Control;
using PyHdfs.DataNode.Security;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// WriteBlock: validates the header, creates the rbw replica, sets up the rest of the pipeline
/// (connects to downstream[0] and forwards the header with downstream[1..]), answers the
/// upstream with an OpResponse, then hands the packets to a <see cref="BlockReceiver"/>.
/// </summary>
internal sealed class BlockWriteHandler(
    ReplicaStore store,
    DataNodeIdentity identity,
    BlockReportHub reports,
    BlockAccessGuard access,
    TransportSecurity transport,
    IOptions<DataNodeOptions> options,
    ILogger<BlockWriteHandler> logger)
{
    private readonly TransferLimits _limits = TransferLimits.Default;

    public Task HandleAsync(Stream upstream, byte[] headerBytes, string peer, IdleDeadline deadline) =>
        ReceiveAsync(new PyHdfsWriteUpstream(upstream, _limits), TransferFraming.ParseOrThrow(WriteBlockHeader.Parser, headerBytes), peer, deadline);

    /// <summary>The write as any upstream sends it: ours, or a Hadoop client's translated by <see cref="HadoopWriteBlockHandler"/>.</summary>
    public async Task ReceiveAsync(IWriteUpstream upstream, WriteBlockHeader header, string peer, IdleDeadline deadline)
    {
        var invalid = Validate(header);
        if (invalid is not null)
        {
            logger.LogWarning("WriteBlock from {Peer} rejected: {Reason}", peer, invalid);
            await RespondAsync(upstream, TransferStatus.ErrorInvalid, invalid, deadline).ConfigureAwait(false);
            return;
        }
        var block = header.Block;
        var name = $"blk_{block.BlockId}_{block.GenerationStamp}";
        var mode = header.Stage == WriteStage.Transfer ? BlockAccessMode.Copy : BlockAccessMode.Write;
        if (access.Refusal(header.AccessToken, block.BlockId, mode, $"WriteBlock ({header.Stage})", peer) is { } refusal)
        {
            await RespondAsync(upstream, TransferStatus.ErrorAccessToken, $"{name}: write refused by DataNode {identity.Id}: {refusal}", deadline).ConfigureAwait(false);
            return;
        }
        using var activity = DataNodeTelemetry.Source.StartActivity(
            $"datanode write blk_{block.BlockId}", ActivityKind.Server, TraceContext.Parse(header.Traceparent, header.Tracestate));
        activity?.SetTag("pyhdfs.block_id", block.BlockId);
        activity?.SetTag("pyhdfs.datanode", identity.Id);
        activity?.SetTag("pyhdfs.downstream", string.Join(",", header.Downstream.Select(d => d.Id)));
        activity?.SetTag("pyhdfs.stage", header.Stage.ToString());

        ReplicaWriter writer;
        try
        {
            writer = header.Stage == WriteStage.Recovery
                ? await store.RecoverAsync(block.BlockId, block.GenerationStamp, block.NumBytes, header.BytesPerChecksum,
                    TimeSpan.FromMilliseconds(Math.Min(options.Value.TransferIdleTimeoutMs, 15_000)), deadline.Token).ConfigureAwait(false)
                : store.Create(block.BlockId, block.GenerationStamp, header.BytesPerChecksum, replaceOlder: header.Stage == WriteStage.Transfer);
        }
        catch (ReplicaRecoveryException e)
        {
            logger.LogWarning("Recovery of {Block} from {Peer} refused: {Reason}", name, peer, e.Message);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await RespondAsync(upstream, e.Status, e.Message, deadline).ConfigureAwait(false);
            return;
        }
        catch (ReplicaExistsException e)
        {
            logger.LogWarning("WriteBlock {Block} from {Peer} rejected: {Reason}", name, peer, e.Message);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await RespondAsync(upstream, TransferStatus.ErrorExists, e.Message, deadline).ConfigureAwait(false);
            return;
        }
        catch (IOException e)
        {
            var status = TransferSockets.IsDiskFull(e) ? TransferStatus.ErrorDiskFull : TransferStatus.Error;
            logger.LogWarning("WriteBlock {Block}: cannot create the replica: {Reason}", name, e.Message);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await RespondAsync(upstream, status, $"{name}: cannot create the replica on {identity.Id}: {e.Message}", deadline).ConfigureAwait(false);
            return;
        }

        using (writer)
        {
            Stream? downstream = null;
            try
            {
                if (header.Downstream.Count > 0)
                {
                    var (stream, failure) = await ConnectDownstreamAsync(header, name, deadline).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        logger.LogWarning("WriteBlock {Block}: pipeline setup failed: {Reason}", name, failure.Message);
                        activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
                        await WriteResponseAsync(upstream, failure, deadline).ConfigureAwait(false);
                        return;
                    }
                    downstream = stream;
                }
                await RespondAsync(upstream, TransferStatus.Success, "", deadline).ConfigureAwait(false);

                using var receiver = new BlockReceiver(upstream, downstream, header.Downstream.FirstOrDefault()?.Id, writer, name,
                    options.Value.SyncOnBlockClose, _limits, deadline, reports, logger);
                var result = await receiver.RunAsync().ConfigureAwait(false);
                activity?.SetTag("pyhdfs.bytes", writer.Length);
                if (result.Error is not null)
                {
                    DataNodeTelemetry.FailedOps.Add(1);
                    activity?.SetStatus(ActivityStatusCode.Error, result.Error);
                    logger.LogWarning("WriteBlock {Block} from {Peer} failed after {Bytes} bytes{Kept}: {Reason}",
                        name, peer, writer.Length, result.Finalized ? " (local replica finalized)" : ", replica kept in rbw for a recovery", result.Error);
                }
                else
                {
                    logger.LogInformation("Received {Block} ({Bytes} bytes{Recovered}) from {Peer}, downstream [{Downstream}]",
                        name, writer.Length, header.Stage == WriteStage.Recovery ? $", recovered from offset {writer.InitialLength}" : "", peer, string.Join(",", header.Downstream.Select(d => d.Id)));
                }
            }
            finally
            {
                if (downstream is not null)
                {
                    await downstream.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private string? Validate(WriteBlockHeader header)
    {
        if (header.Block is null)
        {
            return "the header names no block";
        }
        if (!ReplicaLayout.IsValidBlockId(header.Block.BlockId))
        {
            return $"invalid block id {header.Block.BlockId} (block ids are positive)";
        }
        if (!ReplicaLayout.IsValidGenerationStamp(header.Block.GenerationStamp))
        {
            return $"blk_{header.Block.BlockId}: invalid generation stamp {header.Block.GenerationStamp}";
        }
        if (header.Stage == WriteStage.Recovery && header.Block.NumBytes < 0)
        {
            return $"blk_{header.Block.BlockId}: a recovery cannot keep {header.Block.NumBytes} bytes";
        }
        if (!ChunkChecksums.IsValidChunkSize(header.BytesPerChecksum, _limits))
        {
            return $"blk_{header.Block.BlockId}: bytes_per_checksum {header.BytesPerChecksum} outside {_limits.MinBytesPerChecksum}..{_limits.MaxBytesPerChecksum}";
        }
        if (header.Downstream.Count > _limits.MaxDownstreamNodes)
        {
            return $"blk_{header.Block.BlockId}: {header.Downstream.Count} downstream nodes exceed the limit of {_limits.MaxDownstreamNodes}";
        }
        foreach (var node in header.Downstream)
        {
            if (string.IsNullOrWhiteSpace(node.Host) || node.DataPort is <= 0 or > 65535)
            {
                return $"blk_{header.Block.BlockId}: invalid downstream address '{node.Host}:{node.DataPort}' of '{node.Id}'";
            }
        }
        if (header.Stage is not (WriteStage.Create or WriteStage.Recovery or WriteStage.Transfer))
        {
            return $"blk_{header.Block.BlockId}: unknown write stage {(int)header.Stage}";
        }
        return null;
    }

    /// <summary>Connects to downstream[0] and forwards the header; on failure returns the ERROR_DOWNSTREAM answer for the upstream.</summary>
    private async Task<(Stream? Stream, OpResponse? Failure)> ConnectDownstreamAsync(WriteBlockHeader header, string name, IdleDeadline deadline)
    {
        var target = header.Downstream[0];
        Stream? stream = null;
        try
        {
            var opts = options.Value;
            stream = await TransferSockets.ConnectAsync(target.Id, target.Host, target.DataPort, opts.SocketBufferBytes,
                TimeSpan.FromMilliseconds(opts.ConnectTimeoutMs), transport, deadline.Token).ConfigureAwait(false);
            var forwarded = header.Clone();
            forwarded.Downstream.RemoveAt(0);
            var (traceParent, traceState) = TraceContext.FromCurrent();
            if (traceParent.Length > 0)
            {
                forwarded.Traceparent = traceParent;
                forwarded.Tracestate = traceState;
            }
            await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, forwarded, deadline.Arm()).ConfigureAwait(false);
            var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, _limits, deadline.Arm()).ConfigureAwait(false);
            if (response.Status == TransferStatus.Success)
            {
                return (stream, null);
            }
            await stream.DisposeAsync().ConfigureAwait(false);
            var badLink = response.Status == TransferStatus.ErrorDownstream && response.FirstBadLink.Length > 0 ? response.FirstBadLink : target.Id;
            return (null, new OpResponse
            {
                Status = TransferStatus.ErrorDownstream,
                FirstBadLink = badLink,
                Message = $"{name}: downstream {target.Id} answered {response.Status}: {response.Message}",
            });
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            return (null, new OpResponse
            {
                Status = TransferStatus.ErrorDownstream,
                FirstBadLink = target.Id,
                Message = $"{name}: cannot reach downstream {target.Id} at {target.Host}:{target.DataPort}: {e.Message}",
            });
        }
    }

    private static Task RespondAsync(IWriteUpstream upstream, TransferStatus status, string message, IdleDeadline deadline) =>
        WriteResponseAsync(upstream, new OpResponse { Status = status, Message = message }, deadline);

    private static Task WriteResponseAsync(IWriteUpstream upstream, OpResponse response, IdleDeadline deadline) =>
        upstream.RespondAsync(response, deadline.Arm());
}
