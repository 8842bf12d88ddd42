using PyHdfs.Protocol.Security;

namespace PyHdfs.NameNode.Tests.Replication;

/// <summary>A ReplicateCommand carries the COPY token its targets check, and none in the open (no secret) mode.</summary>
public sealed class ReplicationTokenTests
{
    private static readonly BlockTokenKey Key = BlockTokenKey.FromClusterSecret("replication token test"u8);

    [Fact]
    public async Task A_replicate_command_carries_a_copy_token_for_its_block()
    {
        var f = new ReplicationFixture(dataNodes: 3, blockTokens: new BlockTokenIssuer(Key, TimeSpan.FromMinutes(10)));
        var block = await f.FileOnAsync("/f", 2, "dn1");

        f.Run();

        var command = Assert.Single(f.Replications("dn1"));
        var verifier = new BlockTokenVerifier(Key);
        var copy = verifier.Verify(command.AccessToken.Span, block.BlockId, BlockAccessMode.Copy);
        Assert.True(copy.Granted, copy.Reason);
        Assert.False(verifier.Verify(command.AccessToken.Span, block.BlockId, BlockAccessMode.Write).Granted, "a replication token also grants WRITE");
    }

    [Fact]
    public async Task Without_an_issuer_the_command_carries_no_token()
    {
        var f = new ReplicationFixture(dataNodes: 3);
        await f.FileOnAsync("/f", 2, "dn1");

        f.Run();

        Assert.True(Assert.Single(f.Replications("dn1")).AccessToken.IsEmpty);
    }
}
