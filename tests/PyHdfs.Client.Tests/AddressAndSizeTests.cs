using PyHdfs.Cli.Output;

namespace PyHdfs.Client.Tests;

public sealed class AddressAndSizeTests
{
    [Theory]
    [InlineData("127.0.0.1:9000", "http://127.0.0.1:9000/")]
    [InlineData("http://127.0.0.1:9000", "http://127.0.0.1:9000/")]
    [InlineData("http://localhost:9000/", "http://localhost:9000/")]
    [InlineData("nn1.example:8020", "http://nn1.example:8020/")]
    [InlineData("https://nn:443", "https://nn/")]
    public void Single_addresses_parse(string text, string expected) =>
        Assert.Equal(new Uri(expected), Assert.Single(NameNodeAddresses.Parse(text)));

    [Fact]
    public void Lists_keep_their_order()
    {
        var list = NameNodeAddresses.Parse("127.0.0.1:9000, http://127.0.0.1:9001,localhost:9002");

        Assert.Equal(["http://127.0.0.1:9000/", "http://127.0.0.1:9001/", "http://localhost:9002/"], list.Select(u => u.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("http://localhost")]
    [InlineData("ftp://x:1")]
    [InlineData("host:notaport")]
    public void Bad_addresses_are_rejected(string text) =>
        Assert.Throws<FormatException>(() => NameNodeAddresses.Parse(text));

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("128M", 128L << 20)]
    [InlineData("128MB", 128L << 20)]
    [InlineData("128MiB", 128L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("1.5K", 1536L)]
    [InlineData("2T", 2L << 40)]
    public void Sizes_parse(string text, long expected)
    {
        Assert.True(Sizes.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("12Q")]
    [InlineData("-5")]
    [InlineData("1.3B")]
    [InlineData("abc")]
    public void Bad_sizes_are_rejected(string text) => Assert.False(Sizes.TryParse(text, out _));

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1023L, "1023")]
    [InlineData(1024L, "1 K")]
    [InlineData(1536L, "1.5 K")]
    [InlineData(128L << 20, "128 M")]
    [InlineData((1L << 30) * 5 / 2, "2.5 G")]
    public void Sizes_format_for_humans(long bytes, string expected) => Assert.Equal(expected, Sizes.Human(bytes));

    [Theory]
    [InlineData(true, 0x1EDu, "drwxr-xr-x")]
    [InlineData(false, 0x1A4u, "-rw-r--r--")]
    [InlineData(false, 0u, "----------")]
    public void Permissions_render_like_ls(bool directory, uint permission, string expected) =>
        Assert.Equal(expected, Permissions.Symbolic(directory, permission));
}
