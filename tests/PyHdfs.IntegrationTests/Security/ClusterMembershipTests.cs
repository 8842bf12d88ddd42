using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Protocol.Registry;
using MetadataService = PyHdfs.Protocol.Metadata.Metadata;
using AppendRequest = PyHdfs.Protocol.Metadata.AppendRequest;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// The AppHost gives its services a cluster secret: a process without it cannot register as a DataNode,
/// take part in leader election or journal, while users reach the NameNode's client protocol freely.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class ClusterMembershipTests(PyHdfsCluster cluster)
{
    private static readonly DataNodeInfo Intruder = new()
    {
        Address = new DataNodeAddress { Id = "intruder", Host = "127.0.0.1", DataPort = 1 },
        HttpAddress = "http://127.0.0.1:2",
        CapacityBytes = 1L << 40,
        RemainingBytes = 1L << 40,
    };

    [Fact]
    public async Task A_process_without_the_cluster_secret_cannot_register_campaign_or_journal()
    {
        using var registryChannel = GrpcChannels.Create(Address("zookeeper"), membership: null);
        using var metadataChannel = GrpcChannels.Create(Address("metadata"), membership: null);
        using var namenodeChannel = GrpcChannels.Create(Address("namenode"), membership: null);
        var registry = new Registry.RegistryClient(registryChannel);
        var metadata = new MetadataService.MetadataClient(metadataChannel);
        var datanodes = new DataNodeProtocol.DataNodeProtocolClient(namenodeChannel);

        await AssertRefusedAsync(registry.RegisterAsync(new RegisterRequest { Node = Intruder }, cancellationToken: Dfs.Token));
        await AssertRefusedAsync(registry.CampaignAsync(new CampaignRequest { CandidateId = "intruder", Address = "http://127.0.0.1:1", LeaseMs = 60_000 },
            cancellationToken: Dfs.Token));
        await AssertRefusedAsync(metadata.AppendAsync(new AppendRequest { Epoch = long.MaxValue }, cancellationToken: Dfs.Token));
        await AssertRefusedAsync(metadata.NewEpochAsync(new NewEpochRequest { Epoch = long.MaxValue, WriterId = "intruder" }, cancellationToken: Dfs.Token));
        await AssertRefusedAsync(datanodes.RegisterDataNodeAsync(new RegisterDataNodeRequest { Node = Intruder }, cancellationToken: Dfs.Token));

        // Nothing of the intruder got in: the cluster still writes, and its DataNodes are the real ones.
        await Dfs.WriteAsync(cluster.Client, TestData.UniquePath("members") + "/after.bin", TestData.Random(1000, seed: 7));
        var report = await cluster.Client.GetDataNodeReportAsync(Dfs.Token);
        Assert.DoesNotContain(report, n => n.Node.Id == "intruder");
    }

    [Fact]
    public async Task The_right_secret_is_accepted_and_a_wrong_one_refused()
    {
        using var member = GrpcChannels.Create(Address("zookeeper"), new ClusterMembership(cluster.ClusterSecret));
        // A single NameNode holds no registry lease (docs/registry.md), so the member asks for the DataNodes.
        var listed = await new Registry.RegistryClient(member).ListDataNodesAsync(new ListDataNodesRequest(), cancellationToken: Dfs.Token);
        Assert.Equal(cluster.DataNodeNames, listed.Nodes.Select(n => n.Address.Id).Order(StringComparer.Ordinal));

        using var impostor = GrpcChannels.Create(Address("metadata"), new ClusterMembership("not-the-secret"));
        await AssertRefusedAsync(new MetadataService.MetadataClient(impostor).GetStatusAsync(new GetStatusRequest(), cancellationToken: Dfs.Token));
    }

    [Fact]
    public async Task Users_reach_the_client_protocol_without_the_secret_and_no_log_shows_it()
    {
        using var user = GrpcChannel.ForAddress(Address("namenode"));
        var root = await new ClientProtocol.ClientProtocolClient(user).GetFileInfoAsync(new GetFileInfoRequest { Path = "/" }, cancellationToken: Dfs.Token);
        Assert.Equal(FileType.Directory, root.Status.Type);

        var proof = new ClusterMembership(cluster.ClusterSecret).ProofHeaderValue!;
        foreach (var resource in cluster.ResourceNames)
        {
            Assert.DoesNotContain(cluster.Logs.Of(resource), l => l.Contains(cluster.ClusterSecret, StringComparison.Ordinal)
                || l.Contains(proof, StringComparison.Ordinal));
        }
    }

    private Uri Address(string resource) =>
        cluster.Endpoint(resource, "grpc");

    private static async Task AssertRefusedAsync<T>(AsyncUnaryCall<T> call)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(ErrorKind.PermissionDenied, DfsErrors.KindOf(refused));
        Assert.Contains("not a member of this cluster", refused.Status.Detail, StringComparison.Ordinal);
    }
}
