using System.Net;
using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol.Security;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

public sealed class DevelopmentCertificatesTests : IDisposable
{
    private readonly TempDirectory _directory = new("pyhdfs-tls");

    private string TlsDirectory => _directory.Combine("tls");

    [Fact]
    public void The_service_certificate_chains_to_the_generated_ca_and_names_the_loopback_addresses()
    {
        var files = DevelopmentCertificates.Ensure(TlsDirectory);

        var trust = ClusterTrust.Load(files.CaPath);
        using var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        Assert.True(certificate.HasPrivateKey);
        Assert.Null(trust.ChainProblem(certificate));
        Assert.Equal(DevelopmentCertificates.CaSubject, trust.Ca.Subject);
        Assert.True(trust.Ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
        // TransportSecurity (what a service loads) accepts the same files.
        Assert.True(TransportSecurity.Load(files.CertificatePath, files.KeyPath, files.CaPath).IsEnabled);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Private_keys_are_readable_by_the_owner_only()
    {
        var files = DevelopmentCertificates.Ensure(TlsDirectory);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.KeyPath));
        Assert.False(File.GetUnixFileMode(files.CaPath).HasFlag(UnixFileMode.OtherWrite));
        Assert.Empty(Directory.GetFiles(TlsDirectory, "*.tmp"));
    }

    [Fact]
    public void Valid_files_are_reused_on_the_next_run()
    {
        var first = DevelopmentCertificates.Ensure(TlsDirectory);
        var ca = File.ReadAllText(first.CaPath);
        var certificate = File.ReadAllText(first.CertificatePath);
        var key = File.ReadAllText(first.KeyPath);

        var second = DevelopmentCertificates.Ensure(TlsDirectory);

        Assert.Equal(first, second);
        Assert.Equal(ca, File.ReadAllText(second.CaPath));
        Assert.Equal(certificate, File.ReadAllText(second.CertificatePath));
        Assert.Equal(key, File.ReadAllText(second.KeyPath));
    }

    [Fact]
    public void Expired_certificates_are_generated_again()
    {
        var first = DevelopmentCertificates.Ensure(TlsDirectory);
        var oldCa = File.ReadAllText(first.CaPath);
        var later = DateTimeOffset.UtcNow.AddDays(400);

        var renewed = DevelopmentCertificates.Ensure(TlsDirectory, later);

        Assert.NotEqual(oldCa, File.ReadAllText(renewed.CaPath));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(renewed.CertificatePath);
        Assert.True(certificate.NotAfter.ToUniversalTime() > later.UtcDateTime.AddDays(300));
    }

    [Fact]
    public void A_deleted_file_makes_a_fresh_set_that_chains_again()
    {
        var first = DevelopmentCertificates.Ensure(TlsDirectory);
        var oldCa = File.ReadAllText(first.CaPath);
        File.Delete(first.KeyPath);

        var again = DevelopmentCertificates.Ensure(TlsDirectory);

        Assert.True(File.Exists(again.KeyPath));
        Assert.NotEqual(oldCa, File.ReadAllText(again.CaPath));
        using var certificate = X509Certificate2.CreateFromPemFile(again.CertificatePath, again.KeyPath);
        Assert.Null(ClusterTrust.Load(again.CaPath).ChainProblem(certificate));
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused_at_load_with_the_file_named()
    {
        var ours = DevelopmentCertificates.Ensure(TlsDirectory);
        var theirs = DevelopmentCertificates.Ensure(_directory.Combine("other"));

        var error = Assert.Throws<TlsConfigurationException>(() => TransportSecurity.Load(theirs.CertificatePath, theirs.KeyPath, ours.CaPath));

        Assert.Contains(theirs.CertificatePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not signed by the cluster CA", error.Message, StringComparison.Ordinal);
        using var foreign = X509CertificateLoader.LoadCertificateFromFile(theirs.CertificatePath);
        Assert.Contains("not signed by the cluster CA", ClusterTrust.Load(ours.CaPath).Reject(foreign, SslPolicyErrors.None), StringComparison.Ordinal);
    }

    [Fact]
    public void Misconfiguration_names_the_file_or_the_missing_key()
    {
        var files = DevelopmentCertificates.Ensure(TlsDirectory);
        var missing = _directory.Combine("nope.pem");
        var garbage = _directory.Combine("garbage.key");
        File.WriteAllText(garbage, "not a key");

        Assert.Contains(missing, Assert.Throws<TlsConfigurationException>(() => TransportSecurity.Load(files.CertificatePath, files.KeyPath, missing)).Message, StringComparison.Ordinal);
        Assert.Contains(missing, Assert.Throws<TlsConfigurationException>(() => TransportSecurity.Load(missing, files.KeyPath, files.CaPath)).Message, StringComparison.Ordinal);
        Assert.Contains(missing, Assert.Throws<TlsConfigurationException>(() => TransportSecurity.Load(files.CertificatePath, missing, files.CaPath)).Message, StringComparison.Ordinal);
        Assert.Contains(garbage, Assert.Throws<TlsConfigurationException>(() => TransportSecurity.Load(files.CertificatePath, garbage, files.CaPath)).Message, StringComparison.Ordinal);
        var noPaths = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TransportSecurity.EnabledKey] = "true" }).Build();
        Assert.Contains(TransportSecurity.CertificatePathKey, Assert.Throws<TlsConfigurationException>(() => TransportSecurity.FromConfiguration(noPaths)).Message, StringComparison.Ordinal);
        Assert.False(TransportSecurity.FromConfiguration(new ConfigurationBuilder().Build()).IsEnabled);
    }

    public void Dispose() => _directory.Dispose();
}
