using Grpc.Core;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.DataNode.Control;

/// <summary>
/// Tells the NameNodes (ClientProtocol.ReportBadBlocks, with this DataNode's id) about a local
/// replica whose checksums do not match. Every configured NameNode is told; a standby's refusal
/// or a NameNode that is down is only logged (the next scan reports the replica again).
/// </summary>
internal sealed class BadReplicaReporter(ServiceEndpoints serviceEndpoints, ClusterMembership membership, TransportSecurity transport, DataNodeStatus status, IOptions<DataNodeOptions> options,
    ILogger<BadReplicaReporter> logger) : IDisposable
{
    private readonly Lazy<IReadOnlyList<(Grpc.Net.Client.GrpcChannel Channel, ClientProtocol.ClientProtocolClient Client)>> _clients = new(() =>
    {
        try
        {
            return serviceEndpoints.Resolve("namenode").Select(a =>
            {
                var channel = GrpcChannels.Create(a, membership, transport);
                return (channel, new ClientProtocol.ClientProtocolClient(channel));
            }).ToList();
        }
        catch (UriFormatException)
        {
            return [];
        }
    });

    public async Task ReportAsync(Protocol.BlockRef block, string reason, CancellationToken cancellationToken)
    {
        var request = new ReportBadBlocksRequest();
        request.Replicas.Add(new BadReplica { Block = block, DatanodeId = status.Id, Reason = reason });
        var accepted = false;
        foreach (var (_, client) in _clients.Value)
        {
            try
            {
                await client.ReportBadBlocksAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(options.Value.RpcTimeoutMs),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                accepted = true;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or InvalidOperationException)
            {
                logger.LogDebug("ReportBadBlocks of blk_{Block} not accepted: {Reason}", block.BlockId, e.Message);
            }
        }
        if (!accepted)
        {
            logger.LogWarning("Could not report the corrupt replica blk_{Block}_{Stamp} to any NameNode; the next scan retries",
                block.BlockId, block.GenerationStamp);
        }
    }

    public void Dispose()
    {
        if (_clients.IsValueCreated)
        {
            foreach (var (channel, _) in _clients.Value)
            {
                channel.Dispose();
            }
        }
    }
}
