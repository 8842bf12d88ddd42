using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PyHdfs.Protocol.Security;

namespace PyHdfs.Protocol.Tests.HostileInput;

/// <summary>Bytes a client could put in a header's access_token: noise, and genuine tokens with bytes changed, cut or added.</summary>
public sealed record TokenBytes(byte[] Bytes)
{
    public override string ToString() => $"{Bytes.Length} bytes: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 64)))}";
}

public static class TokenGenerators
{
    internal const long Block = 1_073_741_900;
    internal static readonly BlockTokenKey Key = BlockTokenKey.FromClusterSecret("property secret"u8);

    public static Arbitrary<TokenBytes> Tokens() => Gen.OneOf(Noise(), Mutated(), Resized())
        .Select(bytes => new TokenBytes(bytes))
        .ToArbitrary();

    private static Gen<byte[]> Noise() => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>());

    private static Gen<byte[]> Genuine() =>
        from modes in Gen.Elements(BlockAccessMode.Read, BlockAccessMode.Write, BlockAccessMode.Copy, BlockAccessModes.All)
        from user in Gen.Elements("", "alice", new string('x', 200))
        select new BlockTokenIssuer(Key, TimeSpan.FromHours(1)).Issue(Block, modes, user).ToByteArray();

    private static Gen<byte[]> Mutated() =>
        from token in Genuine()
        from flips in Gen.NonEmptyListOf(Gen.Zip(Gen.Choose(0, 1000), Gen.Choose(1, 255)))
        let mutated = Flip(token, flips)
        where !mutated.AsSpan().SequenceEqual(token) // flips that cancel out give back the genuine token
        select mutated;

    private static Gen<byte[]> Resized() =>
        from token in Genuine()
        from cut in Gen.Choose(-40, 40)
        from filler in ArbMap.Default.GeneratorFor<byte>()
        select cut < 0 ? token[..Math.Max(0, token.Length + cut)] : [.. token, .. Enumerable.Repeat(filler, cut + 1)];

    private static byte[] Flip(byte[] token, IEnumerable<(int Index, int Mask)> flips)
    {
        var copy = (byte[])token.Clone();
        foreach (var (index, mask) in flips)
        {
            copy[index % copy.Length] ^= (byte)mask;
        }
        return copy;
    }
}

/// <summary>No bytes but a genuine token verify, and decoding never fails with anything but the token error.</summary>
public sealed class BlockTokenProperties
{
    [Property(Arbitrary = [typeof(TokenGenerators)], MaxTest = 3000)]
    public void Arbitrary_bytes_never_verify_and_never_throw(TokenBytes input)
    {
        foreach (var mode in new[] { BlockAccessMode.Read, BlockAccessMode.Write, BlockAccessMode.Copy })
        {
            var verdict = new BlockTokenVerifier(TokenGenerators.Key).Verify(input.Bytes, TokenGenerators.Block, mode);
            Assert.False(verdict.Granted, $"{input} granted {mode}");
            Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
        }
    }

    [Property(Arbitrary = [typeof(TokenGenerators)], MaxTest = 3000)]
    public void Decoding_arbitrary_bytes_yields_a_bounded_token_or_the_token_error(TokenBytes input)
    {
        try
        {
            var token = BlockAccessToken.Decode(input.Bytes);
            Assert.InRange(input.Bytes.Length, BlockAccessToken.MinLength, BlockAccessToken.MaxLength);
            Assert.Equal(0, (int)(token.Modes & ~BlockAccessModes.All));
        }
        catch (InvalidBlockAccessTokenException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }
}
