using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using PyHdfs.Protocol.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// TLS for a service's gRPC port and block-transfer port (<c>PyHdfs:Tls:*</c>), off by default.
/// When on, this process serves <see cref="Certificate"/> and trusts only peers whose certificate
/// chains to the CA in <c>PyHdfs:Tls:CaPath</c> (<see cref="Trust"/>). The files are read once, at
/// start; any problem stops the start with a message naming the file.
/// </summary>
public sealed class TransportSecurity
{
    public const string SectionName = "PyHdfs:Tls";
    public const string EnabledKey = SectionName + ":Enabled";
    public const string CertificatePathKey = SectionName + ":CertificatePath";
    public const string KeyPathKey = SectionName + ":KeyPath";
    public const string CaPathKey = SectionName + ":CaPath";

    private readonly SslStreamCertificateContext? _serverContext;

    private TransportSecurity(X509Certificate2? certificate, ClusterTrust? trust)
    {
        Certificate = certificate;
        Trust = trust;
        _serverContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    public static TransportSecurity Disabled { get; } = new(null, null);

    public bool IsEnabled => Certificate is not null;

    /// <summary>This service's certificate, with its private key; null when TLS is off.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The cluster CA peers must chain to; null when TLS is off.</summary>
    public ClusterTrust? Trust { get; }

    public static TransportSecurity FromConfiguration(IConfiguration configuration)
    {
        if (!bool.TryParse(configuration[EnabledKey], out var enabled) || !enabled)
        {
            return Disabled;
        }
        return Load(Require(configuration, CertificatePathKey), Require(configuration, KeyPathKey), Require(configuration, CaPathKey));
    }

    /// <summary>Reads and checks the three PEM files: the certificate must match the key and chain to the CA.</summary>
    public static TransportSecurity Load(string certificatePath, string keyPath, string caPath)
    {
        var trust = Named(CaPathKey, () => ClusterTrust.Load(caPath));
        certificatePath = Path.GetFullPath(certificatePath);
        keyPath = Path.GetFullPath(keyPath);
        Named(CertificatePathKey, () => ClusterTrust.ReadCertificate(certificatePath, "certificate")).Dispose();
        if (!File.Exists(keyPath))
        {
            throw new TlsConfigurationException($"TLS: the private key {keyPath} does not exist ({KeyPathKey})");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or UnauthorizedAccessException or IOException)
        {
            throw new TlsConfigurationException(
                $"TLS: cannot use the private key {keyPath} with the certificate {certificatePath}: {e.Message}", e);
        }
        if (trust.ChainProblem(certificate) is { } problem)
        {
            certificate.Dispose();
            throw new TlsConfigurationException($"TLS: {certificatePath}: {problem}");
        }
        return new TransportSecurity(certificate, trust);
    }

    /// <summary>The server end of a TLS connection (Kestrel configures its own from <see cref="Certificate"/>).</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = _serverContext ?? throw new InvalidOperationException("TLS is not enabled"),
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
    };

    public override string ToString() => IsEnabled ? $"TLS on ({Certificate!.Subject}, CA {Trust!.CaPath})" : "TLS off";

    /// <summary>Prefixes a file problem with "TLS:" and names the configuration key that gave the path.</summary>
    private static T Named<T>(string key, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (TlsConfigurationException e)
        {
            throw new TlsConfigurationException($"TLS: {e.Message} ({key})", e);
        }
    }

    private static string Require(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new TlsConfigurationException($"TLS: {EnabledKey} is true but {key} is not set");
}
