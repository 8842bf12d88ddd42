using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// The cluster's secrets (the cluster secret, its membership proof, the Redis password, block access
/// tokens) protect it and
/// never show: not in a resource's log, not in the traces or logs the dashboard received, not in any
/// of the dashboard's API answers.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class SecretsTests(PyHdfsCluster cluster)
{
    [Fact]
    public async Task The_cluster_redis_requires_its_password()
    {
        var port = cluster.Endpoint("redis", "tcp").Port;

        Assert.StartsWith("-NOAUTH", await RedisAnswerAsync(port, "PING\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-WRONGPASS", await RedisAnswerAsync(port, "AUTH not-the-password\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await RedisAnswerAsync(port, $"AUTH {await cluster.RedisPasswordAsync()}\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_log_trace_or_dashboard_answer_shows_a_secret()
    {
        var path = TestData.UniquePath("secrets") + "/traced.bin";
        var data = TestData.Random(300_000, seed: 11);
        await Dfs.WriteAsync(cluster.Client, path, data);
        Assert.Equal(data, await Dfs.ReadAllAsync(cluster.Client, path));

        // A token that is used, and refused once, so that the DataNode has every reason to log it.
        using var channel = GrpcChannels.Create(new Uri(cluster.NameNodeAddress), membership: null);
        var located = (await new ClientProtocol.ClientProtocolClient(channel).GetBlockLocationsAsync(
            new GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token)).Blocks[0];
        var token = located.AccessToken;
        Assert.False(token.IsEmpty, "the NameNode handed out no block access token");
        var node = located.Locations[0];
        Assert.Equal(data, await RawTransfer.ReadAsync(node, located.Block, token));
        Assert.Equal(TransferStatus.ErrorAccessToken, (await RawTransfer.WriteHeaderAsync(node, new WriteBlockHeader { Block = located.Block, ClientName = "secrets-test", BytesPerChecksum = 512, AccessToken = token })).Status);
        await Eventually.WaitUntilAsync(() => cluster.Logs.Of(node.Id).Any(l => l.Contains("refused", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), $"{node.Id} to log the refused write");

        var secrets = new Dictionary<string, string>
        {
            ["cluster secret"] = cluster.ClusterSecret,
            ["membership proof"] = new ClusterMembership(cluster.ClusterSecret).ProofHeaderValue!,
            ["redis password"] = await cluster.RedisPasswordAsync(),
            ["block access token (base64)"] = token.ToBase64(),
            ["block access token (hex)"] = Convert.ToHexString(token.Span),
        };
        var shown = new List<(string Where, string Text)>();
        foreach (var resource in cluster.ResourceNames)
        {
            shown.AddRange(cluster.Logs.Of(resource).Select(l => ($"console log of {resource}", l)));
        }
        Assert.NotEmpty(shown);

        foreach (var (name, secret) in secrets)
        {
            Assert.All(shown, s => Assert.False(s.Text.Contains(secret, StringComparison.Ordinal), $"the {name} shows in the {s.Where}"));
        }
    }

    /// <summary>One RESP command on a fresh connection; the first answer.</summary>
    private static async Task<string> RedisAnswerAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Dfs.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command), Dfs.Token);
        var buffer = new byte[256];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
