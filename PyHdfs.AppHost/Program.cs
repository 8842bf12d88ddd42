using PyHdfs.AppHost;
using PyHdfs.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
PyHdfsTopology.Add(builder);
builder.Build().Run();

namespace PyHdfs.AppHost
{
    /// <summary>The PyHDFS resource graph; the end-to-end test fixture starts the very same one.</summary>
    public static class PyHdfsTopology
    {
        public static void Add(DistributedApplicationBuilder builder)
        {
            var options = builder.Options;

            var redis = builder.AddRedis("redis");

            var zookeeper = builder.AddProject("zookeeper", ServiceProject.Zookeeper)
                .WithReference(redis)
                .WaitFor(redis);

            var metadata = builder.AddProject("metadata", ServiceProject.Metadata)
                .WithDataVolume("Metadata__DatabasePath", "metadata/namespace.db");

            var namenode = builder.AddProject("namenode", ServiceProject.NameNode)
                .WithEnvironment("NameNode__Id", "namenode-1")
                .WithEnvironment("NameNode__BlockSizeBytes", options.BlockSizeBytes)
                .WithEnvironment("NameNode__Replication", options.Replication)
                .WithReference(zookeeper)
                .WithReference(metadata)
                .WaitFor(zookeeper)
                .WaitFor(metadata);

            for (var i = 1; i <= options.DataNodes; i++)
            {
                builder.AddProject($"datanode-{i}", ServiceProject.DataNode)
                    .WithEnvironment("DataNode__Id", $"datanode-{i}")
                    .WithDataVolume("DataNode__DataDir", $"datanode-{i}")
                    .WithReference(zookeeper)
                    .WithReference(namenode)
                    .WaitFor(namenode);
            }
        }
    }
}
