using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Tests;

public sealed class ChildEnvironmentTests
{
    [Fact]
    public void References_become_aspire_style_keys_and_wiring_overrides_settings()
    {
        var redis = new RedisResource("redis");
        var zookeeper = new ProjectResource("zookeeper", ServiceProject.Zookeeper);
        var namenode = new ResourceBuilder<ProjectResource>(new ProjectResource("namenode", ServiceProject.NameNode))
            .WithReference(new ResourceBuilder<RedisResource>(redis))
            .WithReference(new ResourceBuilder<ProjectResource>(zookeeper))
            .WithEnvironment("NameNode__Replication", 2)
            .WithDataVolume("NameNode__Dir", "nn")
            .Resource;
        var addresses = new Dictionary<string, string> { ["redis"] = "127.0.0.1:6000", ["zookeeper"] = "http://127.0.0.1:7000" };
        var settings = new Dictionary<string, string> { ["Registry__DataNodeTtlMs"] = "500", ["ASPNETCORE_URLS"] = "http://0.0.0.0:1" };

        var environment = ChildEnvironment.ForProject(namenode, 8000, "/data", 42, addresses, settings);

        Assert.Equal("127.0.0.1:6000", environment["ConnectionStrings__redis"]);
        Assert.Equal("http://127.0.0.1:7000", environment["services__zookeeper__grpc__0"]);
        Assert.Equal("http://127.0.0.1:8000", environment["ASPNETCORE_URLS"]);
        Assert.Equal("/data/run/namenode.endpoints.json", environment["PyHdfs__EndpointsFile"]);
        Assert.Equal("namenode", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("42", environment["PYHDFS_PARENT_PID"]);
        Assert.Equal("2", environment["NameNode__Replication"]);
        Assert.Equal("/data/nn", environment["NameNode__Dir"]);
        Assert.Equal("500", environment["Registry__DataNodeTtlMs"]);
    }

    [Fact]
    public void Services_get_the_cluster_secret_and_a_tool_such_as_the_demo_client_does_not()
    {
        var datanode = new ProjectResource("datanode-1", ServiceProject.DataNode);
        var client = new ProjectResource("client", ServiceProject.Cli);
        var none = new Dictionary<string, string>();

        Assert.Equal("s3cret", ChildEnvironment.ForProject(datanode, 1, "/d", 1, none, none, clusterSecret: "s3cret")[ChildEnvironment.ClusterSecretKey]);
        Assert.DoesNotContain(ChildEnvironment.ClusterSecretKey, ChildEnvironment.ForProject(client, 0, "/d", 1, none, none, clusterSecret: "s3cret").Keys);
        Assert.DoesNotContain(ChildEnvironment.ClusterSecretKey, ChildEnvironment.ForProject(datanode, 1, "/d", 1, none, none).Keys);
    }

    [Fact]
    public void A_reference_to_a_resource_that_is_not_running_is_an_error()
    {
        var zookeeper = new ProjectResource("zookeeper", ServiceProject.Zookeeper);
        var namenode = new ResourceBuilder<ProjectResource>(new ProjectResource("namenode", ServiceProject.NameNode))
            .WithReference(new ResourceBuilder<ProjectResource>(zookeeper)).Resource;
        var error = Assert.Throws<InvalidOperationException>(() =>
            ChildEnvironment.ForProject(namenode, 1, "/d", 1, new Dictionary<string, string>(), new Dictionary<string, string>()));
        Assert.Contains("zookeeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_keeps_an_append_only_file_in_its_directory_on_loopback_and_reads_its_password_from_a_file()
    {
        var arguments = ChildEnvironment.RedisArguments(6379, "/data/redis", "/data/redis/redis.conf");
        Assert.Equal(["/data/redis/redis.conf", "--port", "6379", "--bind", "127.0.0.1", "--dir", "/data/redis", "--appendonly", "yes"], arguments.Take(9));
        Assert.DoesNotContain(arguments, a => a.Contains("requirepass", StringComparison.Ordinal));
    }
}
