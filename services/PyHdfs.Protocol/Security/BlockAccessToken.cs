using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PyHdfs.Protocol.Security;

/// <summary>
/// A signed, expiring grant of <see cref="Modes"/> on one block. Wire format (big-endian):
/// <code>
/// version (1) = 1 | key id (uint32) | block id (int64) | expiry unix ms (int64) | modes (1)
/// | user length (1, ≤ 128) | user (UTF-8) | HMAC-SHA256 of all the preceding bytes (32)
/// </code>
/// The user name is for audit logs only; it grants nothing.
/// </summary>
public sealed record BlockAccessToken(int KeyId, long BlockId, BlockAccessMode Modes, long ExpiryUnixMs, string User)
{
    public const byte Version = 1;
    public const int MacLength = 32;
    public const int MaxUserBytes = 128;
    private const int FixedLength = 1 + 4 + 8 + 8 + 1 + 1;
    public const int MinLength = FixedLength + MacLength;
    public const int MaxLength = MinLength + MaxUserBytes;

    /// <summary>The signed token; a user name longer than <see cref="MaxUserBytes"/> is cut at a character boundary.</summary>
    public byte[] Encode(BlockTokenKey key)
    {
        if (key.KeyId != KeyId)
        {
            throw new ArgumentException($"token for key {KeyId} cannot be signed with {key}", nameof(key));
        }
        var user = TruncatedUtf8(User);
        var bytes = new byte[MinLength + user.Length];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)KeyId);
        BinaryPrimitives.WriteInt64BigEndian(span[5..], BlockId);
        BinaryPrimitives.WriteInt64BigEndian(span[13..], ExpiryUnixMs);
        span[21] = (byte)Modes;
        span[22] = (byte)user.Length;
        user.CopyTo(span[FixedLength..]);
        var signed = FixedLength + user.Length;
        HMACSHA256.HashData(key.Key, span[..signed], span[signed..]);
        return bytes;
    }

    /// <summary>Parses the fields without checking the signature; anything malformed is <see cref="InvalidBlockAccessTokenException"/>.</summary>
    public static BlockAccessToken Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, out _, out _);

    internal static BlockAccessToken Decode(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> signed, out ReadOnlySpan<byte> mac)
    {
        if (bytes.Length is < MinLength or > MaxLength)
        {
            throw new InvalidBlockAccessTokenException($"access token of {bytes.Length} bytes is outside {MinLength}..{MaxLength}");
        }
        if (bytes[0] != Version)
        {
            throw new InvalidBlockAccessTokenException($"access token version {bytes[0]} is not {Version}");
        }
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
        if (keyId > int.MaxValue)
        {
            throw new InvalidBlockAccessTokenException($"access token key id {keyId} is out of range");
        }
        var modes = (BlockAccessMode)bytes[21];
        if ((modes & ~BlockAccessModes.All) != 0)
        {
            throw new InvalidBlockAccessTokenException($"access token modes 0x{bytes[21]:x2} include unknown bits");
        }
        var userLength = bytes[22];
        if (bytes.Length != MinLength + userLength)
        {
            throw new InvalidBlockAccessTokenException($"access token of {bytes.Length} bytes does not fit a user name of {userLength} bytes");
        }
        string user;
        try
        {
            user = StrictUtf8.GetString(bytes.Slice(FixedLength, userLength));
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidBlockAccessTokenException("access token user name is not UTF-8");
        }
        signed = bytes[..(FixedLength + userLength)];
        mac = bytes[(FixedLength + userLength)..];
        return new BlockAccessToken((int)keyId, BinaryPrimitives.ReadInt64BigEndian(bytes[5..]), modes,
            BinaryPrimitives.ReadInt64BigEndian(bytes[13..]), user);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static byte[] TruncatedUtf8(string user)
    {
        var bytes = Encoding.UTF8.GetBytes(user); // a lone surrogate becomes U+FFFD: the name is for logs only
        if (bytes.Length <= MaxUserBytes)
        {
            return bytes;
        }
        var length = MaxUserBytes;
        while ((bytes[length] & 0xC0) == 0x80)
        {
            length--; // do not cut a multi-byte character
        }
        return bytes[..length];
    }
}
