using PyHdfs.Client.Write;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Internal;

internal sealed class NameNodeWriteTarget(NameNodeInvoker invoker, string path, long fileId, string clientName) : IWriteTarget
{
    public Task<AddBlockResponse> AddBlockAsync(BlockRef? previous, IReadOnlyCollection<string> excludedNodeIds, CancellationToken cancellationToken)
    {
        var request = new AddBlockRequest { Path = path, ClientName = clientName, FileId = fileId, Previous = previous };
        request.ExcludedDatanodeIds.AddRange(excludedNodeIds);
        return invoker.CallAsync(path, (c, o) => c.AddBlockAsync(request, o), cancellationToken);
    }

    public Task AbandonBlockAsync(BlockRef block, CancellationToken cancellationToken) =>
        invoker.CallAsync(path, (c, o) => c.AbandonBlockAsync(new AbandonBlockRequest { Path = path, ClientName = clientName, FileId = fileId, Block = block }, o), cancellationToken);

    public async Task<bool> CompleteAsync(BlockRef? last, CancellationToken cancellationToken)
    {
        var response = await invoker.CallAsync(path,
            (c, o) => c.CompleteAsync(new CompleteRequest { Path = path, ClientName = clientName, FileId = fileId, Last = last }, o),
            cancellationToken).ConfigureAwait(false);
        return response.Completed;
    }

    public Task AbandonFileAsync(CancellationToken cancellationToken) =>
        invoker.CallAsync(path, (c, o) => c.AbandonFileAsync(new AbandonFileRequest { Path = path, ClientName = clientName, FileId = fileId }, o), cancellationToken);

    public async Task<LocatedBlock> UpdateBlockForPipelineAsync(BlockRef block, CancellationToken cancellationToken)
    {
        var request = new UpdateBlockForPipelineRequest { Path = path, ClientName = clientName, FileId = fileId, Block = block };
        var response = await invoker.CallAsync(path, (c, o) => c.UpdateBlockForPipelineAsync(request, o), cancellationToken).ConfigureAwait(false);
        return response.Block;
    }

    public Task UpdatePipelineAsync(BlockRef oldBlock, BlockRef newBlock, IReadOnlyList<string> dataNodeIds, CancellationToken cancellationToken)
    {
        var request = new UpdatePipelineRequest { Path = path, ClientName = clientName, FileId = fileId, OldBlock = oldBlock, NewBlock = newBlock };
        request.DatanodeIds.AddRange(dataNodeIds);
        return invoker.CallAsync(path, (c, o) => c.UpdatePipelineAsync(request, o), cancellationToken);
    }
}

internal sealed class NameNodeBlockLocator(NameNodeInvoker invoker, string path) : Read.IBlockLocator
{
    public Task<GetBlockLocationsResponse> GetBlockLocationsAsync(long offset, long length, CancellationToken cancellationToken) =>
        invoker.CallAsync(path, (c, o) => c.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = path, Offset = offset, Length = length }, o), cancellationToken);

    public Task ReportBadBlockAsync(BlockRef block, string dataNodeId, string reason, CancellationToken cancellationToken)
    {
        var request = new ReportBadBlocksRequest();
        request.Replicas.Add(new BadReplica { Block = block, DatanodeId = dataNodeId, Reason = reason });
        return invoker.CallAsync(path, (c, o) => c.ReportBadBlocksAsync(request, o), cancellationToken);
    }
}
