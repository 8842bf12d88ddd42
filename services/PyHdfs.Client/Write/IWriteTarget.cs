using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Write;

/// <summary>The NameNode side of one file being written (a seam so the writer can be tested without a NameNode).</summary>
internal interface IWriteTarget
{
    Task<AddBlockResponse> AddBlockAsync(BlockRef? previous, IReadOnlyCollection<string> excludedNodeIds, CancellationToken cancellationToken);

    Task AbandonBlockAsync(BlockRef block, CancellationToken cancellationToken);

    /// <summary>False while the last block has not reached minimum replication yet.</summary>
    Task<bool> CompleteAsync(BlockRef? last, CancellationToken cancellationToken);

    Task AbandonFileAsync(CancellationToken cancellationToken);

    /// <summary>Pipeline recovery: the block with a new generation stamp.</summary>
    Task<LocatedBlock> UpdateBlockForPipelineAsync(BlockRef block, CancellationToken cancellationToken);

    /// <summary>Pipeline recovery: the surviving nodes hold the block under its new stamp.</summary>
    Task UpdatePipelineAsync(BlockRef oldBlock, BlockRef newBlock, IReadOnlyList<string> dataNodeIds, CancellationToken cancellationToken);
}
