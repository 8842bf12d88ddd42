using PyHdfs.AppHost.Hosting;

namespace PyHdfs.AppHost.Tests;

public sealed class TopologyTests
{
    private static DistributedApplicationBuilder Topology(int datanodes)
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions { DataNodes = datanodes, Replication = 2, BlockSizeBytes = 1 << 20 });
        PyHdfsTopology.Add(builder);
        return builder;
    }

    [Fact]
    public void Every_component_is_a_resource_with_n_datanodes()
    {
        var names = Topology(4).Resources.Select(r => r.Name).ToList();
        Assert.Equal(["redis", "zookeeper", "metadata", "namenode", "datanode-1", "datanode-2", "datanode-3", "datanode-4", "client"], names);
    }

    [Fact]
    public void Start_order_puts_every_resource_after_what_it_waits_for()
    {
        var resources = Topology(2).Resources;
        var order = ResourceGraph.StartOrder(resources).Select(r => r.Name).ToList();
        Assert.True(order.IndexOf("redis") < order.IndexOf("zookeeper"));
        Assert.True(order.IndexOf("zookeeper") < order.IndexOf("namenode"));
        Assert.True(order.IndexOf("metadata") < order.IndexOf("namenode"));
        Assert.True(order.IndexOf("namenode") < order.IndexOf("datanode-1"));
        Assert.True(order.IndexOf("namenode") < order.IndexOf("datanode-2"));
    }

    [Fact]
    public void Namenode_waits_for_registry_and_metadata_and_datanodes_for_the_namenode()
    {
        var resources = Topology(1).Resources.ToDictionary(r => r.Name);
        Assert.Equal(["zookeeper", "metadata"], resources["namenode"].WaitsFor.Select(r => r.Name));
        Assert.Equal(["namenode"], resources["datanode-1"].WaitsFor.Select(r => r.Name));
        Assert.Equal(["zookeeper", "namenode"], resources["datanode-1"].References.Select(r => r.Name));
        Assert.Equal("datanode-1", resources["datanode-1"].Environment["DataNode__Id"]);
        Assert.Equal("1048576", resources["namenode"].Environment["NameNode__BlockSizeBytes"]);
        Assert.Equal("2", resources["namenode"].Environment["NameNode__Replication"]);
        Assert.Equal("metadata/namespace.db", resources["metadata"].DataPaths["Metadata__DatabasePath"]);
    }

    [Fact]
    public void Unset_options_leave_the_services_defaults()
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions());
        PyHdfsTopology.Add(builder);
        var namenode = builder.Resources.Single(r => r.Name == "namenode");
        Assert.False(namenode.Environment.ContainsKey("NameNode__Replication"));
        Assert.False(namenode.Environment.ContainsKey("NameNode__BlockSizeBytes"));
    }

    [Fact]
    public void A_cycle_is_rejected_when_the_application_is_built()
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions());
        var a = builder.AddProject("a", ServiceProject.Zookeeper);
        var b = builder.AddProject("b", ServiceProject.Zookeeper).WaitFor(a);
        a.WaitFor(b);
        var error = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions());
        builder.AddRedis("x");
        Assert.Throws<InvalidOperationException>(() => builder.AddProject("x", ServiceProject.Zookeeper));
    }
}
