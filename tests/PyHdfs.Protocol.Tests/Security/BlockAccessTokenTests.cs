using System.Text;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Protocol.Tests.Security;

public sealed class BlockAccessTokenTests
{
    private const long Block = 1_073_741_825;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly BlockTokenKey Key = BlockTokenKey.FromClusterSecret("cluster secret one"u8);

    private static byte[] Issue(long blockId, BlockAccessMode modes, DateTimeOffset issuedAt, BlockTokenKey? key = null) =>
        new BlockTokenIssuer(key ?? Key, BlockTokenIssuer.DefaultLifetime, new FixedTime(issuedAt)).Issue(blockId, modes, "alice").ToByteArray();

    private static BlockTokenVerdict Verify(byte[] token, long blockId, BlockAccessMode mode, DateTimeOffset? now = null) =>
        new BlockTokenVerifier(Key).Verify(token, blockId, mode, now ?? Now);

    [Fact]
    public void A_token_round_trips_its_fields_and_grants_its_mode_on_its_block()
    {
        var token = Issue(Block, BlockAccessMode.Read | BlockAccessMode.Write, Now);

        var decoded = BlockAccessToken.Decode(token);

        Assert.Equal(new BlockAccessToken(BlockTokenKey.CurrentKeyId, Block, BlockAccessMode.Read | BlockAccessMode.Write,
            Now.Add(BlockTokenIssuer.DefaultLifetime).ToUnixTimeMilliseconds(), "alice"), decoded);
        Assert.InRange(token.Length, BlockAccessToken.MinLength, BlockAccessToken.MaxLength);
        var verdict = Verify(token, Block, BlockAccessMode.Write);
        Assert.True(verdict.Granted, verdict.Reason);
        Assert.Equal("alice", verdict.User);
        Assert.True(Verify(token, Block, BlockAccessMode.Read).Granted);
    }

    [Fact]
    public void Changing_any_byte_of_a_token_makes_it_refused()
    {
        var token = Issue(Block, BlockAccessMode.Read, Now);
        for (var i = 0; i < token.Length; i++)
        {
            var tampered = (byte[])token.Clone();
            tampered[i] ^= 0x01;

            var verdict = Verify(tampered, Block, BlockAccessMode.Read);

            Assert.False(verdict.Granted, $"a token with byte {i} changed was accepted");
        }
        var flippedMac = (byte[])token.Clone();
        flippedMac[^1] ^= 0x80;
        Assert.Equal("access token signature is not valid", Verify(flippedMac, Block, BlockAccessMode.Read).Reason);
    }

    [Fact]
    public void A_missing_token_is_refused()
    {
        Assert.Equal("no access token", Verify([], Block, BlockAccessMode.Read).Reason);
    }

    [Fact]
    public void An_expired_token_is_refused_after_the_clock_skew_and_says_how_long_ago()
    {
        var token = Issue(Block, BlockAccessMode.Read, Now);
        var expiry = Now.Add(BlockTokenIssuer.DefaultLifetime);

        Assert.True(Verify(token, Block, BlockAccessMode.Read, expiry + BlockTokenVerifier.DefaultClockSkew).Granted);
        var verdict = Verify(token, Block, BlockAccessMode.Read, expiry + BlockTokenVerifier.DefaultClockSkew + TimeSpan.FromSeconds(12));

        Assert.False(verdict.Granted);
        Assert.Equal("access token expired 42 s ago", verdict.Reason);
    }

    [Fact]
    public void A_token_for_another_block_is_refused()
    {
        var verdict = Verify(Issue(Block, BlockAccessMode.Read, Now), Block + 1, BlockAccessMode.Read);

        Assert.False(verdict.Granted);
        Assert.Equal("access token is for block 1073741825, not 1073741826", verdict.Reason);
    }

    [Theory]
    [InlineData(BlockAccessMode.Read, BlockAccessMode.Write, "access token grants READ, not WRITE")]
    [InlineData(BlockAccessMode.Write, BlockAccessMode.Read, "access token grants WRITE, not READ")]
    [InlineData(BlockAccessMode.Write, BlockAccessMode.Copy, "access token grants WRITE, not COPY")]
    [InlineData(BlockAccessMode.Copy, BlockAccessMode.Write, "access token grants COPY, not WRITE")]
    public void A_token_for_another_mode_is_refused(BlockAccessMode granted, BlockAccessMode wanted, string reason)
    {
        var verdict = Verify(Issue(Block, granted, Now), Block, wanted);

        Assert.False(verdict.Granted);
        Assert.Equal(reason, verdict.Reason);
    }

    [Fact]
    public void A_token_signed_under_another_cluster_secret_is_refused()
    {
        var other = BlockTokenKey.FromClusterSecret("cluster secret two"u8);

        var verdict = Verify(Issue(Block, BlockAccessMode.Read, Now, other), Block, BlockAccessMode.Read);

        Assert.False(verdict.Granted);
        Assert.Equal("access token signature is not valid", verdict.Reason);
    }

    [Fact]
    public void The_signing_key_is_derived_from_the_secret_not_the_secret_itself()
    {
        var secret = Encoding.UTF8.GetBytes(new string('s', 40));
        var keyFromSecret = new BlockTokenKey(BlockTokenKey.CurrentKeyId, secret);
        var token = Issue(Block, BlockAccessMode.Read, Now, keyFromSecret);

        var verdict = new BlockTokenVerifier(BlockTokenKey.FromClusterSecret(secret)).Verify(token, Block, BlockAccessMode.Read, Now);

        Assert.False(verdict.Granted, "a token signed with the raw secret was accepted");
        Assert.Equal("block token key 1", BlockTokenKey.FromClusterSecret(secret).ToString());
    }

    [Fact]
    public void A_token_naming_an_unknown_key_id_is_refused_with_the_key_named()
    {
        var token = new BlockAccessToken(7, Block, BlockAccessMode.Read, Now.AddMinutes(5).ToUnixTimeMilliseconds(), "mallory")
            .Encode(new BlockTokenKey(7, new byte[32]));

        Assert.Equal("access token is signed with key 7, not the current key 1", Verify(token, Block, BlockAccessMode.Read).Reason);
    }

    [Fact]
    public void A_long_user_name_is_cut_at_a_character_boundary_within_the_limit()
    {
        var user = string.Concat(Enumerable.Repeat("é", 100)); // 200 bytes of UTF-8
        var token = new BlockTokenIssuer(Key, TimeSpan.FromMinutes(1)).Issue(Block, BlockAccessMode.Read, user).ToByteArray();

        var decoded = BlockAccessToken.Decode(token);

        Assert.Equal(new string('é', BlockAccessToken.MaxUserBytes / 2), decoded.User);
        Assert.True(new BlockTokenVerifier(Key).Verify(token, Block, BlockAccessMode.Read).Granted);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
