using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PyHdfs.Protocol.Security;

namespace PyHdfs.AppHost;

/// <summary>The PEM files of a development cluster's TLS: the CA and the one certificate (and key) every service presents.</summary>
public sealed record TlsFiles(string CaPath, string CertificatePath, string KeyPath);

/// <summary>
/// <c>--tls</c>: a local CA and one shared service certificate (ECDSA P-256, one year) under DATA/tls,
/// valid for 127.0.0.1, ::1 and localhost, which is where every service of a local cluster listens.
/// The files are reused while they are valid for at least <see cref="RenewBefore"/> and still chain;
/// otherwise (missing, expired, unreadable) all are generated again. The CA's private key is not kept:
/// nothing else is ever signed with it. Private keys are written mode 0600.
/// </summary>
public static class DevelopmentCertificates
{
    public const string CaFileName = "ca.pem";
    public const string CertificateFileName = "service.pem";
    public const string KeyFileName = "service.key";
    public const string CaSubject = "CN=PyHDFS development CA";
    public const string ServiceSubject = "CN=PyHDFS services";

    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>Certificates closer than this to expiry are replaced, so a cluster started today does not fail tomorrow.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    public static TlsFiles FilesIn(string directory) => new(
        Path.Combine(directory, CaFileName), Path.Combine(directory, CertificateFileName), Path.Combine(directory, KeyFileName));

    /// <summary>The files under <paramref name="directory"/>, generated unless the existing ones are still good at <paramref name="now"/>.</summary>
    public static TlsFiles Ensure(string directory, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var files = FilesIn(Path.GetFullPath(directory));
        if (IsReusable(files, at))
        {
            return files;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(files.CaPath)!);
        Generate(files, at);
        return files;
    }

    private static bool IsReusable(TlsFiles files, DateTimeOffset at)
    {
        if (!File.Exists(files.CaPath) || !File.Exists(files.CertificatePath) || !File.Exists(files.KeyPath))
        {
            return false;
        }
        try
        {
            var trust = ClusterTrust.Load(files.CaPath);
            using var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
            return ValidAt(trust.Ca, at) && ValidAt(certificate, at) && certificate.HasPrivateKey && trust.ChainProblem(certificate) is null;
        }
        catch (Exception e) when (e is CryptographicException or TlsConfigurationException or IOException or ArgumentException)
        {
            return false;
        }
    }

    private static bool ValidAt(X509Certificate2 certificate, DateTimeOffset at) =>
        certificate.NotBefore.ToUniversalTime() <= at.UtcDateTime && certificate.NotAfter.ToUniversalTime() - RenewBefore > at.UtcDateTime;

    private static void Generate(TlsFiles files, DateTimeOffset at)
    {
        // A few minutes of slack for clocks: the certificates are used right away.
        var notBefore = at.AddMinutes(-5);
        var notAfter = at.Add(Validity);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(CaSubject, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(ServiceSubject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, notBefore, notAfter, serial);

        WriteFile(files.KeyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteFile(files.CertificatePath, certificate.ExportCertificatePem(), secret: false);
        WriteFile(files.CaPath, ca.ExportCertificatePem(), secret: false);
    }

    /// <summary>Atomically (temp file, then rename), created with its final mode so a key is never readable by others.</summary>
    private static void WriteFile(string path, string content, bool secret)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
        using (var writer = new StreamWriter(new FileStream(temp, options)))
        {
            writer.Write(content);
        }
        File.Move(temp, path, overwrite: true);
    }
}
