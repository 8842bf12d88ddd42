using PyHdfs.Cli.Infrastructure;
using PyHdfs.Testing;

namespace PyHdfs.Client.Tests;

public sealed class TlsDiscoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new("pyhdfs-discovery");

    [Fact]
    public void The_ca_of_a_tls_cluster_comes_from_its_cluster_file()
    {
        var file = WriteClusterFile("""{"namenodes":["https://127.0.0.1:7001"],"tlsCa":"/data/tls/ca.pem"}""");

        var cluster = NameNodeDiscovery.ResolveCluster(null, Environment(("PYHDFS_CLUSTER_FILE", file)));

        Assert.Equal("https://127.0.0.1:7001/", Assert.Single(cluster.NameNodes).ToString());
        Assert.Equal("/data/tls/ca.pem", cluster.TlsCaPath);
    }

    [Fact]
    public void A_plaintext_cluster_file_gives_no_ca_and_pyhdfs_tls_ca_overrides_or_adds_one()
    {
        var file = WriteClusterFile("""{"namenodes":["http://127.0.0.1:7001"]}""");

        Assert.Null(NameNodeDiscovery.ResolveCluster(null, Environment(("PYHDFS_CLUSTER_FILE", file))).TlsCaPath);
        Assert.Equal("/etc/ca.pem", NameNodeDiscovery.ResolveCluster(null,
            Environment(("PYHDFS_CLUSTER_FILE", file), ("PYHDFS_TLS_CA", "/etc/ca.pem"))).TlsCaPath);
        Assert.Equal("/etc/ca.pem", NameNodeDiscovery.ResolveCluster("127.0.0.1:9000", Environment(("PYHDFS_TLS_CA", "/etc/ca.pem"))).TlsCaPath);
    }

    [Fact]
    public void An_address_given_on_the_command_line_does_not_take_the_local_cluster_files_ca()
    {
        var file = WriteClusterFile("""{"namenodes":["https://127.0.0.1:7001"],"tlsCa":"/data/tls/ca.pem"}""");

        var cluster = NameNodeDiscovery.ResolveCluster("127.0.0.1:9000", Environment(("PYHDFS_CLUSTER_FILE", file)));

        Assert.Null(cluster.TlsCaPath);
    }

    [Fact]
    public void An_https_address_without_a_ca_is_refused_with_the_way_to_give_one()
    {
        var error = Assert.Throws<ArgumentException>(() => new DfsClient(DfsClientOptions.FromAddresses("https://127.0.0.1:9")));
        Assert.Contains("PYHDFS_TLS_CA", error.Message, StringComparison.Ordinal);

        var missing = _directory.Combine("missing-ca.pem");
        var unreadable = Assert.Throws<DfsIOException>(() => new DfsClient(DfsClientOptions.FromAddresses("127.0.0.1:9") with { TlsCaPath = missing }));
        Assert.Contains(missing, unreadable.Message, StringComparison.Ordinal);
    }

    private string WriteClusterFile(string json)
    {
        var path = _directory.Combine($"cluster-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Func<string, string?> Environment(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    public void Dispose() => _directory.Dispose();
}
