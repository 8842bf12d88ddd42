using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

/// <summary>The block-transfer port with PyHdfs:Tls on: handshake first, under the idle deadline.</summary>
public sealed class TlsTransferTests : IDisposable
{
    private readonly TempDirectory _tls = new("pyhdfs-dn-tls");

    [Fact]
    public async Task A_peer_stalled_in_the_handshake_loses_its_slot_and_the_next_tls_client_is_served()
    {
        var (ca, certificate, key) = WriteCertificates();
        await using var node = await InProcessDataNode.StartAsync("dn-tls", settings: new Dictionary<string, string>
        {
            ["PyHdfs:Tls:Enabled"] = "true",
            ["PyHdfs:Tls:CertificatePath"] = certificate,
            ["PyHdfs:Tls:KeyPath"] = key,
            ["PyHdfs:Tls:CaPath"] = ca,
            ["DataNode:MaxTransferConnections"] = "1",
            ["DataNode:TransferIdleTimeoutMs"] = "1500",
        });
        // Connected, never sends a ClientHello: holds the only connection slot until the idle deadline.
        await using var staller = await TestTransferClient.ConnectAsync(node.Address);

        // Served only once the staller is dropped (1.5 s); without the deadline on the handshake, never.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, node.Port, deadline.Token);
        await using var tls = await ClusterTrust.Load(ca).AuthenticateAsClientAsync(new NetworkStream(socket, ownsSocket: true), "127.0.0.1",
            $"{node.Id} (127.0.0.1:{node.Port})", deadline.Token);
        await TransferFraming.WriteOpAsync(tls, Opcode.ReadBlock, TestTransferClient.ReadHeader(404, 1), TestContext.Current.CancellationToken);
        var response = await TransferFraming.ReadMessageAsync(tls, OpResponse.Parser, TestTransferClient.Limits, TestContext.Current.CancellationToken);

        Assert.NotEqual(TransferStatus.Success, response.Status);
        Assert.Contains("404", response.Message, StringComparison.Ordinal);
        Assert.True(await TestTransferClient.ServerClosesAsync(staller, TimeSpan.FromSeconds(5)), "a peer stalled in the TLS handshake kept its connection");
    }

    [Fact]
    public async Task A_plaintext_client_on_a_tls_port_is_dropped()
    {
        var (ca, certificate, key) = WriteCertificates();
        await using var node = await InProcessDataNode.StartAsync("dn-tls-plain", settings: new Dictionary<string, string>
        {
            ["PyHdfs:Tls:Enabled"] = "true",
            ["PyHdfs:Tls:CertificatePath"] = certificate,
            ["PyHdfs:Tls:KeyPath"] = key,
            ["PyHdfs:Tls:CaPath"] = ca,
        });
        await using var plain = await TestTransferClient.ConnectAsync(node.Address);
        await TransferFraming.WriteOpAsync(plain, Opcode.ReadBlock, TestTransferClient.ReadHeader(1, 1), TestContext.Current.CancellationToken);

        Assert.True(await TestTransferClient.ServerClosesAsync(plain, TimeSpan.FromSeconds(10)), "a plaintext client kept its connection to a TLS port");
    }

    /// <summary>A CA and a certificate for 127.0.0.1 signed by it, as PEM files.</summary>
    private (string Ca, string Certificate, string Key) WriteCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test datanode", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4]);
        var paths = (_tls.Combine("ca.pem"), _tls.Combine("node.pem"), _tls.Combine("node.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(paths.Item2, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item3, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    public void Dispose() => _tls.Dispose();
}
