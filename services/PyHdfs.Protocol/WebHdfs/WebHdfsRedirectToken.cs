using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PyHdfs.Protocol.WebHdfs;

/// <summary>What a redirect lets its bearer do on a DataNode's WebHDFS endpoint.</summary>
public enum WebHdfsRedirectMode : byte
{
    /// <summary>OPEN and GETFILECHECKSUM.</summary>
    Read = (byte)'R',

    /// <summary>CREATE (PUT) and APPEND (POST) on the same URL: fsspec sends both to the Location of a CREATE.</summary>
    Write = (byte)'W',
}

/// <summary>
/// The signed part of a DataNode URL that the NameNode hands out in a 307: mode, path, user and expiry under an
/// HMAC-SHA256 whose key is derived from the cluster secret under its own label (neither the secret, the membership
/// proof nor the block token key signs it). Without it a DataNode URL could name any user and any path. Encoded
/// base64url: version (1), mode (1), expiry in Unix ms (8, big-endian), user and path (UTF-8, each behind a
/// 2-byte length), then the 32-byte MAC.
/// </summary>
public sealed class WebHdfsRedirectToken
{
    /// <summary>The query parameter that carries the token.</summary>
    public const string QueryParameter = "token";

    private const byte Version = 1;
    private const int MacBytes = 32;
    private static readonly byte[] DerivationLabel = "pyhdfs webhdfs redirect token v1"u8.ToArray();

    private readonly byte[] _key;

    private WebHdfsRedirectToken(byte[] key) => _key = key;

    /// <summary>The signer/verifier of a cluster secret; null without a secret (the open dev mode: no tokens, none checked).</summary>
    public static WebHdfsRedirectToken? FromClusterSecret(string? secret) =>
        string.IsNullOrEmpty(secret) ? null : new WebHdfsRedirectToken(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), DerivationLabel));

    public string Issue(WebHdfsRedirectMode mode, string path, string user, DateTimeOffset expires)
    {
        var body = Body(mode, path, user, expires.ToUnixTimeMilliseconds());
        var token = new byte[body.Length + MacBytes];
        body.CopyTo(token, 0);
        HMACSHA256.HashData(_key, body, token.AsSpan(body.Length));
        return Base64Url(token);
    }

    /// <summary>Null when the token allows <paramref name="mode"/> on <paramref name="path"/> as <paramref name="user"/> now; else why not.</summary>
    public string? Verify(string? token, WebHdfsRedirectMode mode, string path, string user, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "the DataNode URL carries no token (ask the NameNode for a new redirect)";
        }
        byte[] bytes;
        try
        {
            bytes = FromBase64Url(token);
        }
        catch (FormatException)
        {
            return "the token is not base64url";
        }
        if (bytes.Length < 1 + 1 + 8 + 2 + 2 + MacBytes || bytes[0] != Version)
        {
            return "the token is malformed";
        }
        var body = bytes.AsSpan(0, bytes.Length - MacBytes);
        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_key, body, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(bytes.Length - MacBytes)))
        {
            return "the token's signature is wrong (forged, or signed with another cluster secret)";
        }
        var expiresMs = BinaryPrimitives.ReadInt64BigEndian(body[2..]);
        if ((WebHdfsRedirectMode)body[1] != mode)
        {
            return $"the token allows {(WebHdfsRedirectMode)body[1]}, not {mode}";
        }
        if (!body.SequenceEqual(Body(mode, path, user, expiresMs)))
        {
            return $"the token was issued for another path or user, not {path} as {user}";
        }
        return now.ToUnixTimeMilliseconds() > expiresMs
            ? $"the token expired at {DateTimeOffset.FromUnixTimeMilliseconds(expiresMs):O} (ask the NameNode for a new redirect)"
            : null;
    }

    private static byte[] Body(WebHdfsRedirectMode mode, string path, string user, long expiresMs)
    {
        var userBytes = Encoding.UTF8.GetBytes(user);
        var pathBytes = Encoding.UTF8.GetBytes(path);
        if (userBytes.Length > ushort.MaxValue || pathBytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("the user or path is too long for a redirect token");
        }
        var body = new byte[1 + 1 + 8 + 2 + userBytes.Length + 2 + pathBytes.Length];
        var span = body.AsSpan();
        span[0] = Version;
        span[1] = (byte)mode;
        BinaryPrimitives.WriteInt64BigEndian(span[2..], expiresMs);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)userBytes.Length);
        userBytes.CopyTo(span[12..]);
        var at = 12 + userBytes.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)pathBytes.Length);
        pathBytes.CopyTo(span[(at + 2)..]);
        return body;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    /// <summary>Never the key.</summary>
    public override string ToString() => "webhdfs redirect token signer";
}
