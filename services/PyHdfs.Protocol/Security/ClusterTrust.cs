using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PyHdfs.Protocol.Security;

/// <summary>
/// Trust in one cluster CA: a peer's certificate is accepted only if it chains to that CA (the
/// system's roots play no part, no revocation check) and is valid for the host that was dialled.
/// Used by every TLS client end: gRPC channels, the client library and DataNode-to-DataNode transfers.
/// </summary>
public sealed class ClusterTrust
{
    private static readonly ConcurrentDictionary<string, (DateTime Written, ClusterTrust Trust)> Cache = new(StringComparer.Ordinal);

    private ClusterTrust(X509Certificate2 ca, string caPath)
    {
        Ca = ca;
        CaPath = caPath;
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The PEM file the CA was read from (for messages).</summary>
    public string CaPath { get; }

    /// <summary>Reads the CA certificate (PEM); a missing or malformed file is a <see cref="TlsConfigurationException"/> naming it.</summary>
    public static ClusterTrust Load(string caPath)
    {
        var path = Path.GetFullPath(caPath);
        return new ClusterTrust(ReadCertificate(path, "CA certificate"), path);
    }

    /// <summary>As <see cref="Load"/>, reading the file again only when it changed (one client opens many connections).</summary>
    public static ClusterTrust LoadCached(string caPath)
    {
        var path = Path.GetFullPath(caPath);
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (Cache.TryGetValue(path, out var cached) && cached.Written == written)
        {
            return cached.Trust;
        }
        var trust = Load(path);
        Cache[path] = (written, trust);
        return trust;
    }

    /// <summary>A PEM certificate without its key, or a clear error naming the file.</summary>
    public static X509Certificate2 ReadCertificate(string path, string what)
    {
        try
        {
            // CreateFromPemFile without a key file looks for the key in the same file: read the certificate alone.
            var text = File.ReadAllText(path);
            return PemEncoding.TryFind(text, out var pem) && text[pem.Label] == "CERTIFICATE"
                ? X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[pem.Base64Data]))
                : throw new CryptographicException("no -----BEGIN CERTIFICATE----- block");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TlsConfigurationException($"the {what} {path} does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TlsConfigurationException($"the {what} {path} cannot be read: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new TlsConfigurationException($"the {what} {path} is not a PEM certificate: {e.Message}", e);
        }
    }

    /// <summary>Null when <paramref name="certificate"/> is acceptable, else why not (for the handshake's error message).</summary>
    public string? Reject(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the peer presented no certificate";
        }
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var chainProblem = ChainProblem(presented);
        if (chainProblem is not null)
        {
            return chainProblem;
        }
        // The name check is SslStream's own (SAN DNS names and IP addresses against the host dialled).
        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            ? $"the certificate ({presented.Subject}) is not valid for the host name or address that was dialled"
            : null;
    }

    /// <summary>Null when <paramref name="certificate"/> chains to the CA and is within its validity period.</summary>
    public string? ChainProblem(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Everything needed is the CA and the certificate: no network fetch (AIA) during a handshake.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (chain.Build(certificate))
        {
            return null;
        }
        var status = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if (status.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return $"the certificate ({certificate.Subject}) is not valid now (valid {certificate.NotBefore:u} to {certificate.NotAfter:u})";
        }
        return status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain)
            ? $"the certificate ({certificate.Subject}) is not signed by the cluster CA ({CaPath})"
            : $"the certificate ({certificate.Subject}) does not chain to the cluster CA ({CaPath}): {status}";
    }

    /// <summary>The same address over https (same host and port): with TLS on, nothing is called in plaintext.</summary>
    public static Uri ToHttps(Uri address) =>
        address.Scheme == Uri.UriSchemeHttps ? address : new UriBuilder(address) { Scheme = Uri.UriSchemeHttps }.Uri;

    /// <summary>
    /// Client options that throw an <see cref="AuthenticationException"/> naming <paramref name="peer"/> and the
    /// cause when the server's certificate is not acceptable (what HttpClient and gRPC pass on as the inner exception).
    /// The one TLS set-up of every client end: a SocketsHttpHandler's <c>SslOptions</c> (targetHost null: the
    /// request's host) and <see cref="AuthenticateAsClientAsync"/>.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions(string? targetHost, string peer) => new()
    {
        TargetHost = targetHost,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => Reject(certificate, errors) is not { } reason
            ? true
            : throw new AuthenticationException($"TLS handshake with {peer} failed: {reason}"),
    };

    /// <summary>Wraps a connected stream as the TLS client end; a failed handshake is an <see cref="IOException"/> saying why.</summary>
    public async Task<SslStream> AuthenticateAsClientAsync(Stream inner, string targetHost, string peer, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(ClientOptions(targetHost, peer), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when ((e is AuthenticationException or IOException) && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new IOException(HandshakeFailure(e, peer), e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>"TLS handshake with PEER failed: CAUSE", from our own validation message when there is one.</summary>
    public static string HandshakeFailure(Exception e, string peer)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException && inner.Message.StartsWith("TLS handshake with ", StringComparison.Ordinal))
            {
                return inner.Message;
            }
        }
        return e is IOException
            ? $"TLS handshake with {peer} failed: {e.Message} (does the peer speak TLS?)"
            : $"TLS handshake with {peer} failed: {e.Message}";
    }
}
