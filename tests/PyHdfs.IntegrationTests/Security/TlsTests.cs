using PyHdfs.AppHost;
using System.Net.Security;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using PyHdfs.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Security;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>The standard cluster started with --tls: gRPC over https and block transfer over TLS, with the generated CA.</summary>
public sealed class TlsCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options) => options.Tls = true;
}

public sealed class TlsTests(TlsCluster cluster) : IClassFixture<TlsCluster>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Put_and_get_through_the_client_library_are_byte_identical_with_every_replica_written_over_tls()
    {
        var path = TestData.UniquePath("tls") + "/three-blocks.bin";
        var data = TestData.Random((int)(2.5 * PyHdfsCluster.BlockSizeBytes), seed: 71);

        await Dfs.WriteAsync(cluster.Client, path, data);

        Assert.StartsWith("https://", cluster.NameNodeAddress, StringComparison.Ordinal);
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
        var blocks = await cluster.Client.GetBlockLocationsAsync(path, cancellationToken: Dfs.Token);
        Assert.Equal(3, blocks.Count);
        // Replication 2: the first DataNode of each pipeline forwarded every packet to the second over TLS.
        Assert.All(blocks, b => Assert.Equal(PyHdfsCluster.Replication, b.Locations.Count));
    }

    [Fact]
    public async Task The_cli_finds_the_ca_in_the_cluster_file_and_puts_and_gets_byte_identical_files()
    {
        var directory = TestData.UniquePath("tls-cli");
        var data = TestData.Random((int)(1.5 * PyHdfsCluster.BlockSizeBytes), seed: 72);
        var local = cluster.LocalPath($"tls-{Guid.NewGuid():N}.bin");
        var copy = local + ".copy";
        await File.WriteAllBytesAsync(local, data, Dfs.Token);
        var clusterFile = Path.Combine(cluster.DataDirectory, "cluster.json");
        Assert.Equal(cluster.TlsCaPath!, ClusterFile.TryRead(clusterFile)!.TlsCa);
        var environment = new Dictionary<string, string> { ["PYHDFS_CLUSTER_FILE"] = clusterFile };
        Task<CliResult> Cli(params string[] args) => CliRunner.RunAsync(nameNode: null, stdin: null, args, cluster.LocalDirectory, environment: environment);

        var put = await Cli("put", local, directory + "/file.bin");
        var get = await Cli("get", directory + "/file.bin", copy);
        var ls = await Cli("ls", directory);
        var safemode = await Cli("admin", "safemode", "get");

        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Dfs.AssertSameBytes(data, await File.ReadAllBytesAsync(copy, Dfs.Token), "the CLI's copy");
        Assert.Contains(directory + "/file.bin", ls.StdoutText, StringComparison.Ordinal);
        Assert.True(safemode.ExitCode == 0, safemode.ToString());
        Assert.Contains("Safe mode is OFF", safemode.StdoutText, StringComparison.Ordinal);
        var blocks = await cluster.Client.GetBlockLocationsAsync(directory + "/file.bin", cancellationToken: Dfs.Token);
        Assert.All(blocks, b => Assert.Equal(PyHdfsCluster.Replication, b.Locations.Count));
    }

    [Fact]
    public async Task A_plaintext_block_read_gets_no_data_and_the_datanode_still_serves_tls()
    {
        var path = TestData.UniquePath("tls") + "/plain.bin";
        var data = TestData.Random(100_000, seed: 73);
        await Dfs.WriteAsync(cluster.Client, path, data);
        var (block, token, node) = await LocateFirstBlockAsync(path);
        var pid = cluster.PidOf(node.Id);
        var dropsBefore = DroppedHandshakes(node.Id);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(node.Host, node.DataPort, Dfs.Token);
        await using (var plain = new NetworkStream(socket, ownsSocket: false))
        {
            await TransferFraming.WriteOpAsync(plain, Opcode.ReadBlock,
                new ReadBlockHeader { Block = block, Offset = 0, Length = data.Length, ClientName = "plaintext-reader", AccessToken = token }, Dfs.Token);
            var received = await ReadUntilClosedAsync(plain);
            // Nothing, or the TLS alert the server sends before closing (record type 21): never an OpResponse or block data.
            Assert.True(received.Length == 0 || (received[0] == 21 && received.Length < 64),
                $"a plaintext client got {received.Length} bytes from {node.Id}: {Convert.ToHexString(received.AsSpan(0, Math.Min(16, received.Length)))}");
        }
        await Eventually.WaitUntilAsync(() => Task.FromResult(DroppedHandshakes(node.Id) > dropsBefore), Deadline,
            $"{node.Id} to log the dropped plaintext connection");

        var read = await TlsReadAsync(node, block, token, cluster.TlsCaPath!);

        Dfs.AssertSameBytes(data, read, $"{path} read over TLS from {node.Id} after the plaintext attempt");
        Assert.True(pid is not null && cluster.PidOf(node.Id) == pid, $"{node.Id} is no longer the process it was (pid {pid})");
    }

    [Fact]
    public async Task A_plaintext_grpc_call_to_the_namenode_fails()
    {
        var plaintext = new UriBuilder(cluster.NameNodeAddress) { Scheme = Uri.UriSchemeHttp }.Uri;
        using var channel = GrpcChannel.ForAddress(plaintext);
        var client = new ClientProtocol.ClientProtocolClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetFsStatsAsync(new GetFsStatsRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: Dfs.Token));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.NotEqual(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task A_client_that_trusts_another_ca_fails_with_a_clear_tls_error()
    {
        using var other = new TempDirectory("pyhdfs-other-ca");
        var otherCa = DevelopmentCertificates.Ensure(other.Path).CaPath;
        await using var client = new DfsClient(cluster.Client.Options with { TlsCaPath = otherCa, FailoverTimeout = TimeSpan.Zero });

        var rpc = await Assert.ThrowsAsync<DfsIOException>(() => client.GetFsStatsAsync(Dfs.Token));

        Assert.Contains("TLS handshake with the NameNode at", rpc.Message, StringComparison.Ordinal);
        Assert.Contains($"is not signed by the cluster CA ({otherCa})", rpc.Message, StringComparison.Ordinal);

        var path = TestData.UniquePath("tls") + "/other-ca.bin";
        await Dfs.WriteAsync(cluster.Client, path, TestData.Random(1000, seed: 74));
        var (block, token, node) = await LocateFirstBlockAsync(path);
        var transfer = await Assert.ThrowsAsync<IOException>(() => TlsReadAsync(node, block, token, otherCa));
        Assert.Contains($"TLS handshake with {node.Id} ({node.Host}:{node.DataPort}) failed", transfer.Message, StringComparison.Ordinal);
        Assert.Contains("not signed by the cluster CA", transfer.Message, StringComparison.Ordinal);
    }

    private int DroppedHandshakes(string resource) =>
        cluster.Logs.Of(resource).Count(l => l.Contains("TLS handshake failed", StringComparison.Ordinal));

    private async Task<(BlockRef Block, Google.Protobuf.ByteString Token, DataNodeAddress Node)> LocateFirstBlockAsync(string path)
    {
        var trust = ClusterTrust.Load(cluster.TlsCaPath!);
        using var channel = GrpcChannel.ForAddress(cluster.NameNodeAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = trust.ClientOptions(targetHost: null, peer: "the NameNode") },
        });
        var located = (await new ClientProtocol.ClientProtocolClient(channel)
            .GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token)).Blocks[0];
        return (located.Block, located.AccessToken, located.Locations[0]);
    }

    /// <summary>A whole block over TLS from one DataNode, trusting <paramref name="caPath"/>.</summary>
    private static async Task<byte[]> TlsReadAsync(DataNodeAddress node, BlockRef block, Google.Protobuf.ByteString token, string caPath)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(node.Host, node.DataPort, Dfs.Token);
        await using var stream = await ClusterTrust.Load(caPath)
            .AuthenticateAsClientAsync(new NetworkStream(socket, ownsSocket: true), node.Host, $"{node.Id} ({node.Host}:{node.DataPort})", Dfs.Token);
        var result = await RawTransfer.ReadOverAsync(stream, block, token, "tls-reader");
        Assert.True(result.Status == TransferStatus.Success, $"{node.Id} answered {result.Status}: {result.Message}");
        return result.Data;
    }

    private static async Task<byte[]> ReadUntilClosedAsync(Stream stream)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        deadline.CancelAfter(Deadline);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the server: dropped, as expected.
        }
        return received.ToArray();
    }
}
