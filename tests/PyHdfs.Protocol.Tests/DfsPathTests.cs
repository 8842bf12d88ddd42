using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Paths;

namespace PyHdfs.Protocol.Tests;

public sealed class DfsPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/a", "/a")]
    [InlineData("/a/", "/a")]
    [InlineData("/a//b///c/", "/a/b/c")]
    [InlineData("/data/big.iso", "/data/big.iso")]
    [InlineData("/x/...", "/x/...")]
    [InlineData("/ünï cödé/名前", "/ünï cödé/名前")]
    public void Normalizes(string input, string expected)
    {
        Assert.Equal(expected, DfsPath.Normalize(input));
        Assert.True(DfsPath.TryNormalize(input, out var normalized, out var error));
        Assert.Equal(expected, normalized);
        Assert.Equal("", error);
    }

    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "empty" },
        { "", "empty" },
        { "a/b", "not absolute" },
        { "./a", "not absolute" },
        { "/a/../b", "'..'" },
        { "/a/./b", "'.'" },
        { "/..", "'..'" },
        { "/a:b", "U+003A" },
        { "/a/b\u0000c", "U+0000" },
        { "/a\nb", "U+000A" },
        { "/a\u007F", "U+007F" },
        { "/" + new string('x', 256), "longer than 255" },
        { "/" + new string('x', 4096), "longer than 4096" },
        { string.Concat(Enumerable.Repeat("/d", 257)), "deeper than 256" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_with_a_message_naming_the_cause(string? path, string expected)
    {
        Assert.False(DfsPath.TryNormalize(path, out var normalized, out var error));
        Assert.Equal("", normalized);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var e = Assert.Throws<DfsException>(() => DfsPath.Normalize(path));
        Assert.Equal(ErrorKind.InvalidPath, e.Kind);
    }

    [Fact]
    public void Limits_are_inclusive()
    {
        Assert.True(DfsPath.TryNormalize("/" + new string('x', 255), out _, out _));
        Assert.True(DfsPath.TryNormalize(string.Concat(Enumerable.Repeat("/d", 256)), out _, out _));
        Assert.True(DfsPath.TryNormalize("/" + new string('x', 254) + "/" + new string('y', 255) + "/" + new string('z', 255), out _, out _));
    }

    [Fact]
    public void Helpers_split_combine_and_relate_paths()
    {
        Assert.Empty(DfsPath.Split("/"));
        Assert.Equal(["a", "b"], DfsPath.Split("/a/b"));
        Assert.Equal("/a", DfsPath.Combine("/", "a"));
        Assert.Equal("/a/b", DfsPath.Combine("/a", "b"));
        Assert.Equal("/", DfsPath.ParentOf("/a"));
        Assert.Equal("/a", DfsPath.ParentOf("/a/b"));
        Assert.Equal("b", DfsPath.NameOf("/a/b"));
        Assert.True(DfsPath.IsSameOrDescendant("/a/b", "/a"));
        Assert.True(DfsPath.IsSameOrDescendant("/a", "/a"));
        Assert.True(DfsPath.IsSameOrDescendant("/anything", "/"));
        Assert.False(DfsPath.IsSameOrDescendant("/ab", "/a"));
    }
}
