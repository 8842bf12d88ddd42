using Microsoft.Extensions.Configuration;

namespace PyHdfs.AppHost.Tests;

public sealed class AppHostArgumentsTests
{
    [Fact]
    public void Own_options_become_PyHdfs_configuration_keys_in_both_spellings()
    {
        var configuration = AppHostArguments.ToConfiguration(
            ["--datanodes", "5", "--namenodes=2", "--data-dir", "/tmp/x", "--replication", "3", "--block-size=64M"], out var help);

        Assert.False(help);
        Assert.Equal(
            ["--PyHdfs:DataNodes=5", "--PyHdfs:NameNodes=2", "--PyHdfs:DataDir=/tmp/x", "--PyHdfs:Replication=3", "--PyHdfs:BlockSize=64M"],
            configuration);
    }

    [Theory]
    [InlineData("--tls", "--PyHdfs:Tls=true")]
    [InlineData("--tls=false", "--PyHdfs:Tls=false")]
    public void Tls_is_a_switch_with_an_optional_value(string argument, string expected) =>
        Assert.Equal([expected], AppHostArguments.ToConfiguration([argument], out _));

    [Fact]
    public void Set_becomes_a_key_of_the_Set_section_with_double_underscores_as_sections()
    {
        var configuration = AppHostArguments.ToConfiguration(["--set", "Registry__DataNodeTtlMs=6000", "--set=A=b=c"], out _);

        Assert.Equal(["--PyHdfs:Set:Registry:DataNodeTtlMs=6000", "--PyHdfs:Set:A=b=c"], configuration);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help_is_reported_and_translates_nothing(string argument)
    {
        var configuration = AppHostArguments.ToConfiguration([argument], out var help);

        Assert.True(help);
        Assert.Empty(configuration);
        Assert.Contains("--datanodes N", AppHostArguments.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Aspire_options_pass_through_unchanged()
    {
        string[] args = ["--publisher", "manifest", "--output-path", "./deploy/aspire-manifest.json", "--operation=publish"];

        Assert.Equal(args, AppHostArguments.ToConfiguration(args, out _));
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--datanodes=3", "stray" }, "unknown option 'stray'")]
    [InlineData(new[] { "--datanodes" }, "--datanodes needs a value")]
    [InlineData(new[] { "--set", "novalue" }, "--set expects KEY=VALUE, not 'novalue'")]
    public void Mistakes_are_refused_with_the_option_named(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => AppHostArguments.ToConfiguration(args, out _));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_translation_is_read_back_by_ClusterSettings()
    {
        var configuration = AppHostArguments.ToConfiguration(
            ["--datanodes", "4", "--tls", "--block-size", "1K", "--set", "Registry__DataNodeTtlMs=6000"], out _);

        var settings = ClusterSettings.From(new ConfigurationBuilder().AddCommandLine(configuration).Build());

        Assert.Equal(4, settings.DataNodes);
        Assert.True(settings.Tls);
        Assert.Equal(1024L, settings.BlockSizeBytes);
        Assert.Equal("6000", settings.ServiceSettings["Registry__DataNodeTtlMs"]);
    }
}
