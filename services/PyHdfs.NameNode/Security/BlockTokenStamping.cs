using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.Security;

/// <summary>
/// Puts a block access token on located blocks as they leave the NameNode, in the service layer so
/// the namespace stays free of crypto. No issuer (no cluster secret): the cluster is open and the
/// tokens stay empty.
/// </summary>
internal static class BlockTokenStamping
{
    public static LocatedBlock WithToken(this LocatedBlock located, BlockTokenIssuer? issuer, BlockAccessMode mode, string? user)
    {
        if (issuer is not null && located.Block is not null)
        {
            located.AccessToken = issuer.Issue(located.Block.BlockId, mode, user);
        }
        return located;
    }

    public static GetBlockLocationsResponse WithReadTokens(this GetBlockLocationsResponse response, BlockTokenIssuer? issuer, string? user)
    {
        foreach (var located in response.Blocks)
        {
            located.WithToken(issuer, BlockAccessMode.Read, user);
        }
        return response;
    }
}
