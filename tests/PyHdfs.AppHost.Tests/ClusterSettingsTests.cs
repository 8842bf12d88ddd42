using Microsoft.Extensions.Configuration;

namespace PyHdfs.AppHost.Tests;

public sealed class ClusterSettingsTests
{
    private static ClusterSettings From(params (string Key, string Value)[] values) =>
        ClusterSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"PyHdfs:{v.Key}", v.Value)))
            .Build());

    [Fact]
    public void Defaults_are_three_datanodes_one_namenode_in_dot_pyhdfs_data_without_tls()
    {
        var settings = From();

        Assert.Equal(3, settings.DataNodes);
        Assert.Equal(1, settings.NameNodes);
        Assert.Equal(Path.GetFullPath(".pyhdfs-data"), settings.DataDirectory);
        Assert.Null(settings.Replication);
        Assert.Null(settings.BlockSizeBytes);
        Assert.False(settings.Tls);
        Assert.Empty(settings.ServiceSettings);
    }

    [Fact]
    public void Configured_values_are_read_and_the_data_directory_made_absolute()
    {
        var settings = From(("DataNodes", "0"), ("NameNodes", "2"), ("DataDir", "some/dir"), ("Replication", "3"),
            ("BlockSize", "2G"), ("Tls", "true"), ("Set:Registry:DataNodeTtlMs", "6000"), ("ClusterFile", "/tmp/c.json"));

        Assert.Equal(0, settings.DataNodes);
        Assert.Equal(2, settings.NameNodes);
        Assert.Equal(Path.GetFullPath("some/dir"), settings.DataDirectory);
        Assert.Equal(3, settings.Replication);
        Assert.Equal(2L << 30, settings.BlockSizeBytes);
        Assert.True(settings.Tls);
        Assert.Equal(new Dictionary<string, string> { ["Registry__DataNodeTtlMs"] = "6000" }, settings.ServiceSettings);
        Assert.Equal("/tmp/c.json", settings.ClusterFilePath);
    }

    [Fact]
    public void An_empty_cluster_file_setting_writes_none()
    {
        Assert.Null(From(("ClusterFile", "")).ClusterFilePath);
        Assert.NotNull(From().ClusterFilePath);
    }

    [Theory]
    [InlineData("DataNodes", "-1", "--datanodes: '-1' is not an integer of at least 0")]
    [InlineData("DataNodes", "three", "--datanodes: 'three' is not an integer of at least 0")]
    [InlineData("NameNodes", "0", "--namenodes: '0' is not an integer of at least 1")]
    [InlineData("NameNodes", "3", "--namenodes: 1 or 2 (an active and a standby NameNode)")]
    [InlineData("Replication", "0", "--replication: '0' is not an integer of at least 1")]
    [InlineData("BlockSize", "lots", "--block-size: 'lots' is not a size (e.g. 1048576, 64M, 1G)")]
    public void Invalid_values_are_refused_with_the_option_named(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => From((key, value))).Message);

    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("1K", 1024L)]
    [InlineData("128MiB", 128L << 20)]
    [InlineData("64mb", 64L << 20)]
    [InlineData(" 2g ", 2L << 30)]
    public void Sizes_accept_bytes_and_binary_suffixes(string text, long expected) =>
        Assert.Equal(expected, ClusterSettings.ParseSize("--block-size", text));

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5M")]
    [InlineData("99999999999G")]
    public void Sizes_that_are_not_positive_or_overflow_are_refused(string text) =>
        Assert.Throws<ArgumentException>(() => ClusterSettings.ParseSize("--block-size", text));
}
