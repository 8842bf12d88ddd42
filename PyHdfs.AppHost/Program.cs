using PyHdfs.AppHost;
using PyHdfs.AppHost.Publishing;
using PyHdfs.AppHost.Redis;

string[] configuration;
try
{
    configuration = AppHostArguments.ToConfiguration(args, out var help);
    if (help)
    {
        Console.WriteLine(AppHostArguments.Usage);
        return 0;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{AppHostArguments.Usage}");
    return 2;
}

var builder = DistributedApplication.CreateBuilder(configuration);
var settings = ClusterSettings.From(builder.Configuration);
var secrets = ClusterSecrets.Create(builder, settings);

// Restarted by us when it dies (DCP has no restart policy); the file system carries on meanwhile (docs/registry.md).
var redis = builder.AddRegistryRedis("redis", settings.DataDirectory).WithRestartOnFailure();

var zookeeper = builder.AddPyHdfsService<Projects.PyHdfs_Zookeeper>("zookeeper", settings, secrets)
    .WithReference(redis)
    .WaitFor(redis);

var metadata = builder.AddPyHdfsService<Projects.PyHdfs_Metadata>("metadata", settings, secrets)
    .WithDataPath("Metadata__DatabasePath", settings, "namespace.db");

// One NameNode is "namenode"; with --namenodes 2 (HA) they are namenode-1 and namenode-2, both seen by
// their peers as services__namenode__grpc__0/1: one active, the other standby (docs/ha.md).
var namenodes = new List<IResourceBuilder<ProjectResource>>();
for (var i = 1; i <= settings.NameNodes; i++)
{
    namenodes.Add(builder.AddPyHdfsService<Projects.PyHdfs_NameNode>(settings.NameNodes == 1 ? "namenode" : $"namenode-{i}", settings, secrets)
        .WithEnvironment("NameNode__Id", "namenode-" + i)
        .WithEnvironment("NameNode__HighAvailability", settings.NameNodes > 1 ? "true" : "false")
        .WithOptionalEnvironment("NameNode__BlockSizeBytes", settings.BlockSizeBytes)
        .WithOptionalEnvironment("NameNode__Replication", settings.Replication)
        .WithPublishedAddress("NameNode__AdvertisedAddress", PyHdfsServices.GrpcEndpoint, EndpointProperty.Url)
        .WithPeer("zookeeper", 0, zookeeper)
        .WithPeer("metadata", 0, metadata)
        .WaitFor(zookeeper)
        .WaitFor(metadata)
        .WithUrlForEndpoint(PyHdfsServices.HttpEndpoint, url => url.DisplayText = "Status page")
        .WithWebHdfsEndpoint(PyHdfsServices.ContainerPorts.NameNodeWebHdfs, settings.WebHdfsPort + i - 1)
        .WithUrlForEndpoint(PyHdfsServices.WebHdfsEndpoint, url =>
        {
            url.DisplayText = "WebHDFS: LISTSTATUS /";
            url.Url += "/webhdfs/v1/?op=LISTSTATUS";
        })
        .WithHadoopRpcEndpoint()
        .WithNameNodeCommands(secrets, highAvailability: settings.NameNodes > 1));
}

for (var i = 1; i <= settings.DataNodes; i++)
{
    var datanode = builder.AddPyHdfsService<Projects.PyHdfs_DataNode>($"datanode-{i}", settings, secrets)
        .WithEnvironment("DataNode__Id", "datanode-" + i)
        .WithDataPath("DataNode__DataDir", settings)
        .WithBlockTransferEndpoint("DataNode__DataPort")
        .WithWebHdfsEndpoint(PyHdfsServices.ContainerPorts.DataNodeWebHdfs)
        .WithPublishedAddress("DataNode__Host", PyHdfsServices.DataEndpoint, EndpointProperty.Host)
        .WithPeer("zookeeper", 0, zookeeper);
    for (var n = 0; n < namenodes.Count; n++)
    {
        datanode.WithPeer("namenode", n, namenodes[n]).WaitFor(namenodes[n]);
    }
}

// Not started with the cluster: starting it from the dashboard runs a demonstration (put, get, verify).
var client = builder.AddProject<Projects.PyHdfs_Cli>("client", options => options.ExcludeLaunchProfile = true)
    .WithArgs("demo", "--trace")
    .WithExplicitStart();
builder.AddClusterFile(settings, secrets, namenodes, client);
builder.AddDeploymentFiles();

builder.Build().Run();
return 0;
