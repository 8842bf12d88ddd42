using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.Security;

namespace PyHdfs.DataNode.Tests;

/// <summary>Real DataNodes with a cluster secret, over real sockets: reads and writes need a valid token for the block and the mode.</summary>
public sealed class BlockAccessTokenTests : IAsyncLifetime
{
    private const string Secret = "datanode-token-test-secret";
    private const long StoredBlock = 1_073_741_825;
    private const long StoredStamp = 1001;
    private static readonly BlockTokenKey Key = BlockTokenKey.FromClusterSecret(Encoding.UTF8.GetBytes(Secret));
    private static readonly BlockTokenIssuer Issuer = new(Key, TimeSpan.FromMinutes(10));
    private readonly byte[] _stored = TestTransferClient.RandomBytes(300_000, seed: 42);
    private InProcessDataNode _first = null!;
    private InProcessDataNode _second = null!;
    private InProcessDataNode _foreign = null!;

    public async ValueTask InitializeAsync()
    {
        var nodes = await Task.WhenAll(
            InProcessDataNode.StartAsync("dn-token-1", settings: SecretSetting(Secret)),
            InProcessDataNode.StartAsync("dn-token-2", settings: SecretSetting(Secret)),
            InProcessDataNode.StartAsync("dn-token-foreign", settings: SecretSetting("another cluster's secret")));
        (_first, _second, _foreign) = (nodes[0], nodes[1], nodes[2]);
        var header = TestTransferClient.Header(StoredBlock, StoredStamp, 1024);
        header.AccessToken = Issuer.Issue(StoredBlock, BlockAccessMode.Write, "writer");
        var outcome = await TestTransferClient.WriteAsync(_first.Address, header, _stored);
        Assert.True(outcome.FullySucceeded, $"the setup write failed: {outcome.Response}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { _first, _second, _foreign })
        {
            await node.DisposeAsync();
        }
    }

    private static Dictionary<string, string> SecretSetting(string secret) => new() { ["PyHdfs:ClusterSecret"] = secret };

    /// <summary>The tokens a client without the right one could try: (name, token for block id, expected reason).</summary>
    private static (ByteString Token, string Reason) BadToken(string kind, long blockId, BlockAccessMode wanted) => kind switch
    {
        "none" => (ByteString.Empty, "no access token"),
        "expired" => (ByteString.CopyFrom(new BlockAccessToken(BlockTokenKey.CurrentKeyId, blockId, wanted,
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), "late").Encode(Key)), "access token expired"),
        "other block" => (Issuer.Issue(blockId - 1, wanted, "guesser"), $"access token is for block {blockId - 1}, not {blockId}"),
        "wrong mode" => wanted == BlockAccessMode.Read
            ? (Issuer.Issue(blockId, BlockAccessMode.Write, "writer"), "access token grants WRITE, not READ")
            : (Issuer.Issue(blockId, BlockAccessMode.Read, "reader"), "access token grants READ, not WRITE"),
        "copy for a client" => (Issuer.Issue(blockId, BlockAccessMode.Copy, "namenode"), "access token grants COPY, not"),
        "other secret" => (new BlockTokenIssuer(BlockTokenKey.FromClusterSecret("guessed"u8), TimeSpan.FromMinutes(10))
            .Issue(blockId, wanted, "forger"), "access token signature is not valid"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of bad token"),
    };

    private static void AssertNothingStored(InProcessDataNode node, long blockId)
    {
        var store = node.App.Services.GetRequiredService<ReplicaStore>();
        Assert.Null(store.Get(blockId));
        Assert.Equal(0, store.WritesInProgress);
        Assert.Empty(Directory.EnumerateFiles(node.DataDir, $"blk_{blockId}*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("other block")]
    [InlineData("wrong mode")]
    [InlineData("copy for a client")]
    [InlineData("other secret")]
    public async Task A_write_without_a_valid_write_token_is_refused_and_stores_nothing(string kind)
    {
        var blockId = StoredBlock + 100;
        var (token, reason) = BadToken(kind, blockId, BlockAccessMode.Write);
        var header = TestTransferClient.Header(blockId, 1002, 1024, _second.Address);
        header.AccessToken = token;

        var outcome = await TestTransferClient.WriteAsync(_first.Address, header, TestTransferClient.RandomBytes(5000, seed: 1));

        Assert.Equal(TransferStatus.ErrorAccessToken, outcome.Response.Status);
        Assert.Contains($"blk_{blockId}_1002", outcome.Response.Message, StringComparison.Ordinal);
        Assert.Contains(reason, outcome.Response.Message, StringComparison.Ordinal);
        AssertNothingStored(_first, blockId);
        AssertNothingStored(_second, blockId);
    }

    [Fact]
    public async Task A_write_with_the_write_token_is_stored_on_every_node_of_the_pipeline()
    {
        var blockId = StoredBlock + 200;
        var data = TestTransferClient.RandomBytes(70_000, seed: 2);
        var header = TestTransferClient.Header(blockId, 1003, 1024, _second.Address);
        header.AccessToken = Issuer.Issue(blockId, BlockAccessMode.Write, "writer");

        var outcome = await TestTransferClient.WriteAsync(_first.Address, header, data);

        Assert.True(outcome.FullySucceeded, $"{outcome.Response}; acks: {string.Join(" ", outcome.Acks)}");
        foreach (var node in new[] { _first, _second })
        {
            Assert.Equal(data.Length, node.App.Services.GetRequiredService<ReplicaStore>().Get(blockId)?.Length);
        }
    }

    [Fact]
    public async Task Every_node_of_the_pipeline_checks_the_forwarded_token()
    {
        var blockId = StoredBlock + 300;
        var header = TestTransferClient.Header(blockId, 1004, 1024, _foreign.Address);
        header.AccessToken = Issuer.Issue(blockId, BlockAccessMode.Write, "writer");

        var outcome = await TestTransferClient.WriteAsync(_first.Address, header, TestTransferClient.RandomBytes(5000, seed: 3));

        Assert.Equal(TransferStatus.ErrorDownstream, outcome.Response.Status);
        Assert.Equal(_foreign.Id, outcome.Response.FirstBadLink);
        Assert.Contains("access token signature is not valid", outcome.Response.Message, StringComparison.Ordinal);
        AssertNothingStored(_foreign, blockId);
    }

    [Fact]
    public async Task A_transfer_needs_a_copy_token_and_a_write_token_is_not_one()
    {
        var blockId = StoredBlock + 400;
        var data = TestTransferClient.RandomBytes(10_000, seed: 4);
        var header = TestTransferClient.Header(blockId, 1005, 1024);
        header.Stage = WriteStage.Transfer;
        header.AccessToken = Issuer.Issue(blockId, BlockAccessMode.Write, "writer");

        var refused = await TestTransferClient.WriteAsync(_second.Address, header, data);
        header.AccessToken = Issuer.Issue(blockId, BlockAccessMode.Copy, "namenode");
        var accepted = await TestTransferClient.WriteAsync(_second.Address, header, data);

        Assert.Equal(TransferStatus.ErrorAccessToken, refused.Response.Status);
        Assert.Contains("access token grants WRITE, not COPY", refused.Response.Message, StringComparison.Ordinal);
        Assert.True(accepted.FullySucceeded, $"{accepted.Response}");
        Assert.Equal(data.Length, _second.App.Services.GetRequiredService<ReplicaStore>().Get(blockId)?.Length);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("other block")]
    [InlineData("wrong mode")]
    [InlineData("copy for a client")]
    [InlineData("other secret")]
    public async Task A_read_without_a_valid_read_token_is_refused_with_the_reason(string kind)
    {
        var (token, reason) = BadToken(kind, StoredBlock, BlockAccessMode.Read);
        var header = TestTransferClient.ReadHeader(StoredBlock, StoredStamp);
        header.AccessToken = token;

        var read = await TestTransferClient.ReadAsync(_first.Address, header);

        Assert.Equal(TransferStatus.ErrorAccessToken, read.Response.Status);
        Assert.Contains($"blk_{StoredBlock}_{StoredStamp}", read.Response.Message, StringComparison.Ordinal);
        Assert.Contains(reason, read.Response.Message, StringComparison.Ordinal);
        Assert.Empty(read.Data);
    }

    [Fact]
    public async Task A_read_with_the_read_token_returns_the_bytes()
    {
        var header = TestTransferClient.ReadHeader(StoredBlock, StoredStamp);
        header.AccessToken = Issuer.Issue(StoredBlock, BlockAccessMode.Read, "reader");

        var read = await TestTransferClient.ReadAsync(_first.Address, header);

        Assert.Equal(TransferStatus.Success, read.Response.Status);
        Assert.Equal(_stored, read.Data);
    }
}
