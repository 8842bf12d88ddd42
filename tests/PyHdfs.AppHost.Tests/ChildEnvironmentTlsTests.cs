using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Tests;

public sealed class ChildEnvironmentTlsTests
{
    private static readonly TlsFiles Files = new("/data/tls/ca.pem", "/data/tls/service.pem", "/data/tls/service.key");
    private static readonly Dictionary<string, string> None = [];

    [Fact]
    public void With_tls_a_service_listens_on_https_and_gets_its_certificate_key_and_ca()
    {
        var datanode = new ProjectResource("datanode-1", ServiceProject.DataNode);

        var environment = ChildEnvironment.ForProject(datanode, 8000, "/data", 1, None, None, tls: Files);

        Assert.Equal("https://127.0.0.1:8000", environment["ASPNETCORE_URLS"]);
        Assert.Equal("true", environment["PyHdfs__Tls__Enabled"]);
        Assert.Equal(Files.CertificatePath, environment["PyHdfs__Tls__CertificatePath"]);
        Assert.Equal(Files.KeyPath, environment["PyHdfs__Tls__KeyPath"]);
        Assert.Equal(Files.CaPath, environment["PyHdfs__Tls__CaPath"]);
    }

    [Fact]
    public void Without_tls_nothing_changes_and_no_tls_key_is_set()
    {
        var datanode = new ProjectResource("datanode-1", ServiceProject.DataNode);

        var environment = ChildEnvironment.ForProject(datanode, 8000, "/data", 1, None, None);

        Assert.Equal("http://127.0.0.1:8000", environment["ASPNETCORE_URLS"]);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("PyHdfs__Tls__", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tool_gets_no_service_key()
    {
        var client = new ProjectResource("client", ServiceProject.Cli);

        var environment = ChildEnvironment.ForProject(client, 0, "/data", 1, None, None, tls: Files);

        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("PyHdfs__Tls__", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_is_off_unless_asked_for_on_the_command_line()
    {
        Assert.False(AppHostOptions.Parse([], out _, out _)!.Tls);
        Assert.True(AppHostOptions.Parse(["--tls", "--datanodes", "2"], out var error, out _)!.Tls);
        Assert.Null(error);
        Assert.Contains("--tls", AppHostOptions.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_file_records_the_ca_only_with_tls()
    {
        Assert.Contains("\"tlsCa\": \"/data/tls/ca.pem\"", Serialize(new ClusterFile(["https://127.0.0.1:1"], "/data", 1, TlsCa: Files.CaPath)), StringComparison.Ordinal);
        Assert.Contains("\"tlsCa\": null", Serialize(new ClusterFile(["http://127.0.0.1:1"], "/data", 1)), StringComparison.Ordinal);
    }

    private static string Serialize(ClusterFile file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pyhdfs-cluster-{Guid.NewGuid():N}.json");
        try
        {
            file.Write(path);
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
