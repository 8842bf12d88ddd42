using System.Security.Cryptography;

namespace PyHdfs.Protocol.Security;

/// <summary>
/// The key that signs block access tokens, with the id tokens name it by (room for key rolling:
/// today there is one key per cluster secret, id 1). Derived from the cluster secret under its own
/// label, so neither the secret nor the membership proof ever signs a token.
/// </summary>
public sealed class BlockTokenKey
{
    public const int CurrentKeyId = 1;
    private static readonly byte[] DerivationLabel = "pyhdfs block access token key v1"u8.ToArray();

    public BlockTokenKey(int keyId, byte[] key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyId);
        if (key.Length < 32)
        {
            throw new ArgumentException($"a block token key needs at least 32 bytes, not {key.Length}", nameof(key));
        }
        KeyId = keyId;
        Key = key;
    }

    public int KeyId { get; }

    internal byte[] Key { get; }

    /// <summary>HMAC-SHA256(secret, "pyhdfs block access token key v1").</summary>
    public static BlockTokenKey FromClusterSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            throw new ArgumentException("the cluster secret is empty", nameof(secret));
        }
        return new BlockTokenKey(CurrentKeyId, HMACSHA256.HashData(secret, DerivationLabel));
    }

    /// <summary>Never the key bytes.</summary>
    public override string ToString() => $"block token key {KeyId}";
}
