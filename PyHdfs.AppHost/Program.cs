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

            // One NameNode is "namenode"; with --namenodes N (HA) they are namenode-1..N, all discovered as
            // services__namenode__grpc__0..N-1: one active, the others standby (docs/ha.md).
            var namenodes = new List<ResourceBuilder<ProjectResource>>();
            for (var i = 1; i <= options.NameNodes; i++)
            {
                namenodes.Add(builder.AddProject(options.NameNodes == 1 ? "namenode" : $"namenode-{i}", ServiceProject.NameNode)
                    .WithServiceName("namenode")
                    .WithEnvironment("NameNode__Id", $"namenode-{i}")
                    .WithEnvironment("NameNode__BlockSizeBytes", options.BlockSizeBytes)
                    .WithEnvironment("NameNode__Replication", options.Replication)
                    .WithReference(zookeeper)
                    .WithReference(metadata)
                    .WaitFor(zookeeper)
                    .WaitFor(metadata));
            }

            for (var i = 1; i <= options.DataNodes; i++)
            {
                var datanode = builder.AddProject($"datanode-{i}", ServiceProject.DataNode)
                    .WithEnvironment("DataNode__Id", $"datanode-{i}")
                    .WithDataVolume("DataNode__DataDir", $"datanode-{i}")
                    .WithReference(zookeeper);
                foreach (var namenode in namenodes)
                {
                    datanode.WithReference(namenode).WaitFor(namenode);
                }
            }

            // Not started with the cluster: starting it (dashboard, API) runs a demonstration workload.
            var client = builder.AddProject("client", ServiceProject.Cli)
                .WithArgs("demo")
                .WithDataVolume("PYHDFS_CLUSTER_FILE", "cluster.json")
                .WithExplicitStart();
            foreach (var namenode in namenodes)
            {
                client.WithReference(namenode);
            }
        }
    }
}
