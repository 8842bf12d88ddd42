using PyHdfs.Cli.Infrastructure;

namespace PyHdfs.Client.Tests;

public sealed class TargetResolverTests
{
    [Theory]
    [InlineData("/data/x", "/data/x")]
    [InlineData("/data/", "/data")]
    [InlineData("/", "/")]
    public void Remote_paths_normalize(string input, string expected) => Assert.Equal(expected, TargetResolver.Remote(input));

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/a:b")]
    [InlineData("-x")]
    [InlineData("data/x")]
    [InlineData("")]
    public void Bad_remote_paths_are_usage_errors(string input)
    {
        var error = Assert.Throws<CliException>(() => TargetResolver.Remote(input));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void Put_into_a_directory_keeps_the_local_name()
    {
        Assert.Equal("/data/big.iso", TargetResolver.PutTarget("/data", "./dir/big.iso", remoteIsDirectory: true));
        Assert.Equal("/big.iso", TargetResolver.PutTarget("/", "big.iso", remoteIsDirectory: true));
        Assert.Equal("/data/copy", TargetResolver.PutTarget("/data/copy", "./big.iso", remoteIsDirectory: false));
    }

    [Fact]
    public void Put_of_stdin_into_a_directory_needs_a_name() =>
        Assert.Throws<CliException>(() => TargetResolver.PutTarget("/data", "-", remoteIsDirectory: true));

    [Fact]
    public void Get_targets()
    {
        Assert.Null(TargetResolver.GetTarget("/data/x", null, _ => false));
        Assert.Null(TargetResolver.GetTarget("/data/x", "-", _ => false));
        Assert.Equal("out", TargetResolver.GetTarget("/data/x", "out", _ => false));
        Assert.Equal(Path.Combine("downloads", "x"), TargetResolver.GetTarget("/data/x", "downloads", d => d == "downloads"));
    }

    [Fact]
    public void Move_into_an_existing_directory()
    {
        Assert.Equal("/archive/x", TargetResolver.MoveTarget("/data/x", "/archive", destinationIsDirectory: true));
        Assert.Equal("/y", TargetResolver.MoveTarget("/x", "/y", destinationIsDirectory: false));
    }
}
