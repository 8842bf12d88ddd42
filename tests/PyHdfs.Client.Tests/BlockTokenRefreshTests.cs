using Google.Protobuf;
using PyHdfs.Client.Write;
using PyHdfs.Protocol;

namespace PyHdfs.Client.Tests;

/// <summary>A reader whose block access token is refused asks the NameNode once more for fresh tokens, like HDFS.</summary>
public sealed class BlockTokenRefreshTests : IAsyncLifetime
{
    private readonly FakeStorage _storage = new();
    private readonly List<FakeDataNode> _nodes = [];
    private readonly byte[] _data = new byte[300_000];
    private FakeNameNode _nameNode = null!;

    public async ValueTask InitializeAsync()
    {
        new Random(5).NextBytes(_data);
        _nodes.Add(new FakeDataNode("dn1", _storage));
        _nodes.Add(new FakeDataNode("dn2", _storage));
        _nameNode = new FakeNameNode("/f", _nodes, 2);
        var output = new DfsOutputStream("/f", 1L << 20, 2, _nameNode, Options(), null, null);
        await output.WriteAsync(_data, TestContext.Current.CancellationToken);
        await output.DisposeAsync();
        _nameNode.ReadToken = call => ByteString.CopyFromUtf8($"token-{call}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static DfsClientOptions Options() => new()
    {
        NameNodes = [new Uri("http://127.0.0.1:1")],
        ClientName = "test-client",
        DataNodeTimeout = TimeSpan.FromSeconds(10),
        CompleteTimeout = TimeSpan.FromSeconds(5),
    };

    private void RefuseTokensOtherThan(string accepted)
    {
        foreach (var node in _nodes)
        {
            node.RefuseRead = header => header.AccessToken.ToStringUtf8() == accepted ? null : "access token expired 12 s ago";
        }
    }

    private async Task<byte[]> ReadAllAsync()
    {
        await using var input = new DfsInputStream("/f", _nameNode.Locations(), _nameNode, Options(), null);
        var output = new MemoryStream();
        await input.CopyToAsync(output, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    [Fact]
    public async Task A_refused_token_is_replaced_by_fresh_locations_and_the_read_succeeds()
    {
        RefuseTokensOtherThan("token-2");

        var read = await ReadAllAsync();

        Assert.Equal(_data, read);
        Assert.Equal(2, _nameNode.LocationCalls);
    }

    [Fact]
    public async Task A_token_refused_again_fails_naming_the_path_the_block_and_the_reason()
    {
        RefuseTokensOtherThan("never");

        var error = await Assert.ThrowsAsync<DfsIOException>(ReadAllAsync);

        Assert.Equal(ErrorKind.AccessTokenInvalid, error.Kind);
        Assert.Contains("/f", error.Message, StringComparison.Ordinal);
        Assert.Contains($"blk_{_nameNode.Blocks[0].Block.BlockId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("access token expired 12 s ago", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _nameNode.LocationCalls);
    }
}
