using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Read;

/// <summary>The NameNode side of a file being read (a seam so the reader can be tested without a NameNode).</summary>
internal interface IBlockLocator
{
    Task<GetBlockLocationsResponse> GetBlockLocationsAsync(long offset, long length, CancellationToken cancellationToken);

    Task ReportBadBlockAsync(BlockRef block, string dataNodeId, string reason, CancellationToken cancellationToken);
}
