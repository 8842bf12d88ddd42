using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PyHdfs.Protocol.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Proof that a process belongs to the cluster. Services that share <c>PyHdfs:ClusterSecret</c> send
/// an HMAC-SHA256 of a fixed label under it (never the secret itself) on every call to the registry,
/// the metadata service and the NameNode's DataNode protocol, which refuse calls without it. Without
/// a configured secret the cluster is open (development only: the AppHost always generates one).
/// The proof is a bearer credential: on an untrusted network, use TLS so it cannot be replayed.
/// </summary>
public sealed class ClusterMembership
{
    public const string ConfigurationKey = "PyHdfs:ClusterSecret";
    public const string EnvironmentVariable = "PyHdfs__ClusterSecret";
    public const string HeaderName = "pyhdfs-cluster-proof";

    private static readonly byte[] Label = "pyhdfs cluster membership v1"u8.ToArray();
    private readonly byte[]? _proof;

    public ClusterMembership(string? secret)
    {
        _proof = string.IsNullOrEmpty(secret) ? null : HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Label);
        ProofHeaderValue = _proof is null ? null : Convert.ToBase64String(_proof);
        BlockTokenKey = string.IsNullOrEmpty(secret) ? null : BlockTokenKey.FromClusterSecret(Encoding.UTF8.GetBytes(secret));
    }

    public static ClusterMembership FromConfiguration(IConfiguration configuration) => new(configuration[ConfigurationKey]);

    /// <summary>True when a secret is configured: calls must then carry the proof.</summary>
    public bool IsEnforced => _proof is not null;

    /// <summary>Signs (NameNode) and checks (DataNode) block access tokens; derived from the secret under its own label; null without a secret.</summary>
    public BlockTokenKey? BlockTokenKey { get; }

    /// <summary>What this process sends in <see cref="HeaderName"/>; null without a secret.</summary>
    public string? ProofHeaderValue { get; }

    /// <summary>Whether a caller's header proves membership (constant time); always true when not enforced.</summary>
    public bool Accepts(string? headerValue)
    {
        if (_proof is null)
        {
            return true;
        }
        Span<byte> received = stackalloc byte[48];
        return headerValue is not null
            && Convert.TryFromBase64String(headerValue, received, out var length)
            && CryptographicOperations.FixedTimeEquals(received[..length], _proof);
    }

    /// <summary>Never the secret or the proof: safe for logs.</summary>
    public override string ToString() => IsEnforced ? "cluster secret configured" : "no cluster secret (open cluster)";
}
