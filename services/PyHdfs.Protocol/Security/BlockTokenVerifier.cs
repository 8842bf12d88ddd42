using System.Security.Cryptography;

namespace PyHdfs.Protocol.Security;

/// <summary>Whether a token grants an access, and if not, why (safe to log and to tell the peer: no token bytes).</summary>
public readonly record struct BlockTokenVerdict(bool Granted, string Reason, string User)
{
    public static BlockTokenVerdict Refuse(string reason, string user = "") => new(false, reason, user);
}

/// <summary>The DataNode's side: checks a token against the block and mode of the operation at hand.</summary>
public sealed class BlockTokenVerifier(BlockTokenKey key, TimeProvider? time = null, TimeSpan? clockSkew = null)
{
    /// <summary>Tolerated difference between the NameNode's clock and this node's.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly long _skewMs = (long)(clockSkew ?? DefaultClockSkew).TotalMilliseconds;

    public BlockTokenVerdict Verify(ReadOnlySpan<byte> token, long blockId, BlockAccessMode mode) =>
        Verify(token, blockId, mode, _time.GetUtcNow());

    public BlockTokenVerdict Verify(ReadOnlySpan<byte> token, long blockId, BlockAccessMode mode, DateTimeOffset now)
    {
        if (mode == BlockAccessMode.None)
        {
            throw new ArgumentException("verify a token for a mode, not None", nameof(mode));
        }
        if (token.IsEmpty)
        {
            return BlockTokenVerdict.Refuse("no access token");
        }
        BlockAccessToken decoded;
        ReadOnlySpan<byte> signed, mac;
        try
        {
            decoded = BlockAccessToken.Decode(token, out signed, out mac);
        }
        catch (InvalidBlockAccessTokenException e)
        {
            return BlockTokenVerdict.Refuse($"invalid access token: {e.Message}");
        }
        if (decoded.KeyId != key.KeyId)
        {
            return BlockTokenVerdict.Refuse($"access token is signed with key {decoded.KeyId}, not the current key {key.KeyId}");
        }
        Span<byte> expected = stackalloc byte[BlockAccessToken.MacLength];
        HMACSHA256.HashData(key.Key, signed, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return BlockTokenVerdict.Refuse("access token signature is not valid");
        }
        // Signed fields from here on: the user name is trustworthy enough for the log.
        if (decoded.BlockId != blockId)
        {
            return BlockTokenVerdict.Refuse($"access token is for block {decoded.BlockId}, not {blockId}", decoded.User);
        }
        if ((decoded.Modes & mode) != mode)
        {
            return BlockTokenVerdict.Refuse(
                $"access token grants {BlockAccessModes.Describe(decoded.Modes)}, not {BlockAccessModes.Describe(mode)}", decoded.User);
        }
        var nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs > decoded.ExpiryUnixMs + _skewMs)
        {
            var agoSeconds = (nowMs - decoded.ExpiryUnixMs) / 1000;
            return BlockTokenVerdict.Refuse($"access token expired {agoSeconds} s ago", decoded.User);
        }
        return new BlockTokenVerdict(true, "", decoded.User);
    }
}
