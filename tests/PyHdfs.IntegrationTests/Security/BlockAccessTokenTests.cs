using Google.Protobuf;
using Grpc.Net.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// A user who learns a block id and a DataNode's data port (or guesses them: block ids are sequential)
/// gets nothing from the DataNode without the token the NameNode handed out with the block's location.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class BlockAccessTokenTests(PyHdfsCluster cluster)
{
    [Fact]
    public async Task A_datanode_serves_a_block_only_with_the_token_from_its_locations()
    {
        var directory = TestData.UniquePath("tokens");
        var data = TestData.Random(200_000, seed: 11);
        var neighbourData = TestData.Random(50_000, seed: 12);
        await Dfs.WriteAsync(cluster.Client, directory + "/secret.bin", data);
        await Dfs.WriteAsync(cluster.Client, directory + "/neighbour.bin", neighbourData);
        using var channel = GrpcChannel.ForAddress(cluster.NameNodeAddress);
        var namenode = new ClientProtocol.ClientProtocolClient(channel);
        var located = (await namenode.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = directory + "/secret.bin" }, cancellationToken: Dfs.Token)).Blocks.Single();
        var neighbour = (await namenode.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = directory + "/neighbour.bin" }, cancellationToken: Dfs.Token)).Blocks.Single();
        Assert.False(located.AccessToken.IsEmpty, "the NameNode handed out no access token");
        var node = located.Locations[0];

        var withoutToken = await RawTransfer.TryReadAsync(node, located.Block, ByteString.Empty);
        var withToken = await RawTransfer.TryReadAsync(node, located.Block, located.AccessToken);
        var guessed = await RawTransfer.TryReadAsync(neighbour.Locations[0], neighbour.Block, located.AccessToken);

        Assert.Equal(TransferStatus.ErrorAccessToken, withoutToken.Status);
        Assert.Contains("no access token", withoutToken.Message, StringComparison.Ordinal);
        Assert.Equal(TransferStatus.Success, withToken.Status);
        Dfs.AssertSameBytes(data, withToken.Data, $"blk_{located.Block.BlockId} read with its token from {node.Id}");
        Assert.Equal(TransferStatus.ErrorAccessToken, guessed.Status);
        Assert.Contains($"access token is for block {located.Block.BlockId}, not {neighbour.Block.BlockId}", guessed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_token_from_add_block_does_not_read_and_a_read_token_does_not_write()
    {
        var path = TestData.UniquePath("tokens") + "/modes.bin";
        await Dfs.WriteAsync(cluster.Client, path, TestData.Random(10_000, seed: 13));
        using var channel = GrpcChannel.ForAddress(cluster.NameNodeAddress);
        var namenode = new ClientProtocol.ClientProtocolClient(channel);
        var located = (await namenode.GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token)).Blocks.Single();
        var node = located.Locations[0];

        // Writing the stored block in any stage with the read token: refused before the DataNode looks at its storage.
        foreach (var (stage, mode) in new[] { (WriteStage.Create, "WRITE"), (WriteStage.Recovery, "WRITE"), (WriteStage.Transfer, "COPY") })
        {
            var write = await RawTransfer.WriteHeaderAsync(node, new WriteBlockHeader
            {
                Block = located.Block,
                ClientName = "intruder",
                BytesPerChecksum = 512,
                Stage = stage,
                AccessToken = located.AccessToken,
            });
            Assert.True(write.Status == TransferStatus.ErrorAccessToken, $"{stage} with a read token: {write.Status} {write.Message}");
            Assert.Contains($"access token grants READ, not {mode}", write.Message, StringComparison.Ordinal);
        }
        Assert.Equal(TestData.Sha256(TestData.Random(10_000, seed: 13)), TestData.Sha256(await Dfs.ReadAllAsync(cluster.Client, path)));

        // The write token AddBlock hands a writer does not read.
        var user = new Grpc.Core.Metadata { { RequestHeaders.User, PyHdfs.Client.DfsClientOptions.DefaultUser() } };
        var open = TestData.UniquePath("tokens") + "/open.bin";
        var created = await namenode.CreateAsync(new CreateRequest { Path = open, ClientName = "token-writer", CreateParent = true }, user, cancellationToken: Dfs.Token);
        var added = await namenode.AddBlockAsync(new AddBlockRequest { Path = open, ClientName = "token-writer", FileId = created.Status.FileId }, user,
            cancellationToken: Dfs.Token);
        var read = await RawTransfer.TryReadAsync(added.Block.Locations[0], added.Block.Block, added.Block.AccessToken);
        await namenode.AbandonFileAsync(new AbandonFileRequest { Path = open, ClientName = "token-writer", FileId = created.Status.FileId }, user,
            cancellationToken: Dfs.Token);

        Assert.Equal(TransferStatus.ErrorAccessToken, read.Status);
        Assert.Contains("access token grants WRITE, not READ", read.Message, StringComparison.Ordinal);
    }
}
