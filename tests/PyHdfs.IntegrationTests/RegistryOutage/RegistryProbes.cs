using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.IntegrationTests.RegistryOutage;

/// <summary>What a cluster's parts say about the registry: its own list, each service's /health, a NameNode's HA status.</summary>
internal static class RegistryProbes
{
    public static string RedisDirectory(PyHdfsCluster cluster) => Path.Combine(cluster.DataDirectory, "redis");

    /// <summary>The DataNode ids the registry lists now; null while it cannot answer.</summary>
    public static async Task<IReadOnlyList<string>?> RegisteredDataNodesAsync(PyHdfsCluster cluster)
    {
        try
        {
            using var channel = GrpcChannels.Create(cluster.Endpoint("zookeeper", "grpc"), new ClusterMembership(cluster.ClusterSecret));
            var listed = await new Registry.RegistryClient(channel).ListDataNodesAsync(new ListDataNodesRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            return [.. listed.Nodes.Select(n => n.Address.Id).Order(StringComparer.Ordinal)];
        }
        catch (RpcException)
        {
            return null;
        }
    }

    public static async Task<(HttpStatusCode Status, string Body)> HealthAsync(PyHdfsCluster cluster, string resource)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(cluster.Endpoint(resource, "http"), "/health"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<HaStatus> HaStatusAsync(PyHdfsCluster cluster, string namenode)
    {
        using var channel = GrpcChannels.Create(cluster.Endpoint(namenode, "grpc"));
        return await new ClientProtocol.ClientProtocolClient(channel).GetHaStatusAsync(new GetHaStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
    }

    /// <summary>Deletes Redis's data (append-only file, snapshot), keeping its config file with the password: a Redis that lost its disk.</summary>
    public static void WipeRedisData(PyHdfsCluster cluster)
    {
        var directory = new DirectoryInfo(RedisDirectory(cluster));
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.Name == "redis.conf")
            {
                continue;
            }
            if (entry is DirectoryInfo sub)
            {
                sub.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
