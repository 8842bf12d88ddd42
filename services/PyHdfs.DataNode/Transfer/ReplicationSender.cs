using System.Diagnostics;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.DataNode.Transfer;

/// <summary>
/// Re-replication (NameNode's Replicate command): pushes a local finalized replica to the targets
/// as a WriteBlock with stage TRANSFER, sending the stored checksums, which every target verifies.
/// </summary>
internal sealed class ReplicationSender(
    ReplicaStore store,
    DataNodeIdentity identity,
    TransportSecurity transport,
    IOptions<DataNodeOptions> options,
    ILogger<ReplicationSender> logger)
{
    private readonly TransferLimits _limits = TransferLimits.Default;

    public async Task<bool> SendAsync(ReplicateCommand command, CancellationToken cancellationToken)
    {
        var requested = command.Block;
        var name = $"blk_{requested.BlockId}_{requested.GenerationStamp}";
        var replica = requested.BlockId > 0 ? store.Get(requested.BlockId) : null;
        if (replica is null || replica.GenerationStamp < requested.GenerationStamp)
        {
            logger.LogWarning("Cannot replicate {Block}: no current local replica", name);
            return false;
        }
        var target = command.Targets[0];
        using var activity = DataNodeTelemetry.Source.StartActivity($"datanode replicate blk_{replica.BlockId}", ActivityKind.Client);
        activity?.SetTag("pyhdfs.block_id", replica.BlockId);
        activity?.SetTag("pyhdfs.datanode", identity.Id);
        activity?.SetTag("pyhdfs.downstream", string.Join(",", command.Targets.Select(t => t.Id)));
        var opts = options.Value;
        using var deadline = new IdleDeadline(TimeSpan.FromMilliseconds(opts.TransferIdleTimeoutMs), cancellationToken);
        try
        {
            using var files = ReplicaFileReader.Open(replica);
            await using var stream = await TransferSockets.ConnectAsync(target.Id, target.Host, target.DataPort, opts.SocketBufferBytes,
                TimeSpan.FromMilliseconds(opts.ConnectTimeoutMs), transport, cancellationToken).ConfigureAwait(false);
            var (traceParent, traceState) = TraceContext.FromCurrent();
            var header = new WriteBlockHeader
            {
                Block = ReplicaStore.ToBlockRef(replica),
                ClientName = "datanode:" + identity.Id,
                Traceparent = traceParent,
                Tracestate = traceState,
                AccessToken = command.AccessToken,
                BytesPerChecksum = replica.BytesPerChecksum,
                Stage = WriteStage.Transfer,
            };
            header.Downstream.AddRange(command.Targets.Skip(1));
            await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, header, deadline.Arm()).ConfigureAwait(false);
            var response = await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, _limits, deadline.Arm()).ConfigureAwait(false);
            if (response.Status != TransferStatus.Success)
            {
                logger.LogWarning("Replication of {Block} to {Target} refused: {Status} {Message}", name, target.Id, response.Status, response.Message);
                return false;
            }
            var packetData = Math.Max(replica.BytesPerChecksum, opts.ReadPacketBytes / replica.BytesPerChecksum * replica.BytesPerChecksum);
            var lastSeqNo = (replica.Length + packetData - 1) / packetData;
            var acks = ReadAcksAsync(stream, lastSeqNo, deadline);
            long sent = 0;
            string? sendFailure = null;
            try
            {
                sent = await ReplicaPacketSender.SendAsync(stream, files, replica.BytesPerChecksum, 0, replica.Length,
                    packetData, name, deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                sendFailure = e.Message;
                // Unblocks the ack reader.
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            var failure = await acks.ConfigureAwait(false) ?? sendFailure;
            if (failure is not null)
            {
                logger.LogWarning("Replication of {Block} to {Targets} failed: {Reason}", name, activity?.GetTagItem("pyhdfs.downstream"), failure);
                return false;
            }
            activity?.SetTag("pyhdfs.bytes", sent);
            logger.LogInformation("Replicated {Block} ({Bytes} bytes) to {Targets}", name, sent, string.Join(",", command.Targets.Select(t => t.Id)));
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            logger.LogWarning("Replication of {Block} to {Target} failed: {Reason}", name, target.Id, e.Message);
            return false;
        }
    }

    /// <summary>Reads acks up to the last packet's; returns null when every reply was SUCCESS, else the cause.</summary>
    private async Task<string?> ReadAcksAsync(Stream stream, long lastSeqNo, IdleDeadline deadline)
    {
        try
        {
            for (long expected = 0; expected <= lastSeqNo; expected++)
            {
                var ack = await TransferFraming.ReadMessageAsync(stream, PipelineAck.Parser, _limits, deadline.Token).ConfigureAwait(false);
                if (ack.Seqno != expected)
                {
                    return $"ack for seqno {ack.Seqno}, expected {expected}";
                }
                if (ack.Replies.Count == 0 || ack.Replies.Any(r => r != TransferStatus.Success))
                {
                    return $"seqno {ack.Seqno} acked with [{string.Join(",", ack.Replies)}]";
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return "no ack: " + e.Message;
        }
    }
}
