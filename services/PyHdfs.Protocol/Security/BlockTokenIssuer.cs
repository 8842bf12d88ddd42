using Google.Protobuf;

namespace PyHdfs.Protocol.Security;

/// <summary>The NameNode's side: signs a token per block and access mode, valid for <see cref="Lifetime"/>.</summary>
public sealed class BlockTokenIssuer(BlockTokenKey key, TimeSpan lifetime, TimeProvider? time = null)
{
    /// <summary>
    /// Default lifetime. Without key rolling a token stays good until it expires, so it is short;
    /// a reader whose token expires fetches the block's locations (and a fresh token) again.
    /// </summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public TimeSpan Lifetime { get; } = lifetime > TimeSpan.Zero
        ? lifetime
        : throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "a block token lifetime must be positive");

    /// <summary>One HMAC: cheap enough to stamp every located block.</summary>
    public ByteString Issue(long blockId, BlockAccessMode modes, string? user)
    {
        var expiry = _time.GetUtcNow().Add(Lifetime).ToUnixTimeMilliseconds();
        var token = new BlockAccessToken(key.KeyId, blockId, modes, expiry, user ?? "");
        return UnsafeByteOperations.UnsafeWrap(token.Encode(key));
    }
}
