using Google.Protobuf;
using PyHdfs.Protocol.Security;

namespace PyHdfs.DataNode.Security;

/// <summary>
/// Checks the block access token of every ReadBlock and WriteBlock before storage is touched or a
/// downstream is contacted. Without a cluster secret there is no key and nothing is checked (the
/// open dev mode). Refusals are logged with the block, the peer and the reason, never the token.
/// </summary>
internal sealed class BlockAccessGuard
{
    private readonly BlockTokenVerifier? _verifier;
    private readonly ILogger<BlockAccessGuard> _logger;

    public BlockAccessGuard(ClusterMembership membership, ILogger<BlockAccessGuard> logger)
        : this(membership.BlockTokenKey is { } key ? new BlockTokenVerifier(key) : null, logger)
    {
    }

    internal BlockAccessGuard(BlockTokenVerifier? verifier, ILogger<BlockAccessGuard> logger)
    {
        _verifier = verifier;
        _logger = logger;
    }

    public bool IsEnforced => _verifier is not null;

    /// <summary>Null when the token grants <paramref name="mode"/> on the block, else the reason for the refusal.</summary>
    public string? Refusal(ByteString token, long blockId, BlockAccessMode mode, string operation, string peer)
    {
        if (_verifier is null)
        {
            return null;
        }
        var verdict = _verifier.Verify(token.Span, blockId, mode);
        if (verdict.Granted)
        {
            return null;
        }
        _logger.LogWarning("{Operation} of block {Block} from {Peer}{User} refused: {Reason}", operation, blockId, peer,
            verdict.User.Length > 0 ? $" (user {verdict.User})" : "", verdict.Reason);
        return verdict.Reason;
    }
}
