namespace PyHdfs.AppHost.Tests;

public sealed class PublishOptionsTests
{
    [Fact]
    public void Ha_datanode_count_and_set_reach_the_manifest_while_tls_stays_a_run_mode_feature()
    {
        using var run = PublishRun.Start("--namenodes", "2", "--datanodes", "1", "--set", "Registry__DataNodeTtlMs=6000", "--tls");

        Assert.True(run.ExitCode == 0, run.Output);
        var resources = run.Resources;
        Assert.False(resources.ContainsKey("namenode"));
        Assert.False(resources.ContainsKey("datanode-2"));
        Assert.Equal("{namenode-2.bindings.grpc.url}", PublishRun.Env(run.Resource("namenode-2"), "NameNode__AdvertisedAddress"));
        var datanode = run.Resource("datanode-1");
        Assert.Equal("{namenode-1.bindings.grpc.url}", PublishRun.Env(datanode, "services__namenode__grpc__0"));
        Assert.Equal("{namenode-2.bindings.grpc.url}", PublishRun.Env(datanode, "services__namenode__grpc__1"));
        foreach (var name in new[] { "zookeeper", "metadata", "namenode-1", "namenode-2", "datanode-1" })
        {
            Assert.Equal("6000", PublishRun.Env(run.Resource(name), "Registry__DataNodeTtlMs"));
            Assert.Null(PublishRun.Env(run.Resource(name), "PyHdfs__Tls__Enabled"));
            Assert.Equal("http", run.Resource(name)["bindings"]!["grpc"]!["scheme"]!.GetValue<string>());
        }
        Assert.False(Directory.Exists(run.DataDirectory), "--tls in publish mode generated certificates under the data directory");
    }
}
