using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Tests;

public sealed class AppHostOptionsTests
{
    [Fact]
    public void Defaults_are_three_datanodes_in_dot_pyhdfs_data()
    {
        var options = AppHostOptions.Parse([], out var error, out var help)!;
        Assert.Null(error);
        Assert.False(help);
        Assert.Equal(3, options.DataNodes);
        Assert.Equal(1, options.NameNodes);
        Assert.Equal(".pyhdfs-data", options.DataDirectory);
        Assert.Null(options.Replication);
        Assert.Null(options.BlockSizeBytes);
    }

    [Fact]
    public void Parses_every_option_in_both_spellings()
    {
        var options = AppHostOptions.Parse(
            ["--datanodes", "5", "--data-dir=/tmp/x", "--replication", "3", "--block-size", "64M", "--set", "Registry__DataNodeTtlMs=1000"],
            out var error, out _)!;
        Assert.Null(error);
        Assert.Equal(5, options.DataNodes);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(3, options.Replication);
        Assert.Equal(64L << 20, options.BlockSizeBytes);
        Assert.Equal("1000", options.ServiceSettings["Registry__DataNodeTtlMs"]);
    }

    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("1K", 1024L)]
    [InlineData("128MiB", 128L << 20)]
    [InlineData("2g", 2L << 30)]
    public void Block_size_accepts_bytes_and_suffixes(string text, long expected) =>
        Assert.Equal(expected, AppHostOptions.ParseSize("--block-size", text));

    [Theory]
    [InlineData("--datanodes", "-1")]
    [InlineData("--datanodes", "many")]
    [InlineData("--replication", "0")]
    [InlineData("--block-size", "0")]
    [InlineData("--namenodes", "3")]
    [InlineData("--set", "novalue")]
    [InlineData("--frobnicate", "1")]
    public void Rejects_bad_values_with_a_message(string option, string value)
    {
        Assert.Null(AppHostOptions.Parse([option, value], out var error, out _));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Missing_value_is_an_error()
    {
        Assert.Null(AppHostOptions.Parse(["--datanodes"], out var error, out _));
        Assert.Contains("--datanodes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_recognised()
    {
        AppHostOptions.Parse(["--help"], out var error, out var help);
        Assert.True(help);
        Assert.Null(error);
    }
}
