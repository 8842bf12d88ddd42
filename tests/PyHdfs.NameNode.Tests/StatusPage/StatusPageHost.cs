using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.NameNode.Tests.StatusPage;

/// <summary>
/// A real NameNode host with the AppHost's two named Kestrel endpoints ("http" HTTP/1.1, "grpc" HTTP/2)
/// against the fake registry and metadata service, and an HTTP/1.1 client for its pages.
/// </summary>
internal sealed class StatusPageHost : IAsyncDisposable
{
    private readonly FakeControlPlane _plane;
    private readonly WebApplication _app;
    private readonly Grpc.Net.Client.GrpcChannel _channel;

    private StatusPageHost(FakeControlPlane plane, WebApplication app, Uri http, Uri grpc)
    {
        _plane = plane;
        _app = app;
        Http = new HttpClient { BaseAddress = http, DefaultRequestVersion = HttpVersion.Version11 };
        GrpcAddress = grpc;
        _channel = GrpcChannels.Create(grpc);
        Client = new ClientProtocol.ClientProtocolClient(_channel);
        DataNodes = new DataNodeProtocol.DataNodeProtocolClient(_channel);
    }

    public HttpClient Http { get; }

    public Uri GrpcAddress { get; }

    public ClientProtocol.ClientProtocolClient Client { get; }

    public DataNodeProtocol.DataNodeProtocolClient DataNodes { get; }

    public FakeControlPlane.FakeState State => _plane.State;

    /// <summary>Root owned by bob, mode 0777; DataNodes dn1 and dn2 live in the registry.</summary>
    public static FakeControlPlane.FakeState DefaultState()
    {
        var state = new FakeControlPlane.FakeState { Header = new ImageHeader { LastTxid = 10, LastInodeId = 5, LastBlockId = (1L << 30) + 7, LastGenerationStamp = 1200 } };
        state.Inodes.Add(new Protocol.Metadata.InodeRecord { Id = 1, ParentId = 0, Name = "", Kind = Protocol.Metadata.InodeKind.Directory, Owner = "bob", Permission = 0x1FF });
        state.LiveNodes.Add(NamespaceHarness.Info("dn1"));
        state.LiveNodes.Add(NamespaceHarness.Info("dn2"));
        return state;
    }

    public static async Task<StatusPageHost> StartAsync(FakeControlPlane.FakeState state)
    {
        var plane = await FakeControlPlane.StartAsync(state);
        var http = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var grpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var app = NameNodeHost.Build([
            $"--Kestrel:Endpoints:http:Url={http}",
            "--Kestrel:Endpoints:http:Protocols=Http1",
            $"--Kestrel:Endpoints:grpc:Url={grpc}",
            "--Kestrel:Endpoints:grpc:Protocols=Http2",
            $"--services:zookeeper:grpc:0={plane.Address}",
            $"--services:metadata:grpc:0={plane.Address}",
            "--NameNode:Id=nn-page",
            "--NameNode:HighAvailability=true",
            "--NameNode:LeaderLeaseMs=3000",
            "--NameNode:SafeModeExtensionMs=0",
            "--NameNode:BlockSizeBytes=1048576",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new StatusPageHost(plane, app, http, grpc);
    }

    public static Grpc.Core.Metadata As(string user) => new() { { RequestHeaders.User, user } };

    public async Task WaitUntilActiveAsync() =>
        await Eventually.WaitUntilAsync(async () => (await Client.GetHaStatusAsync(new GetHaStatusRequest())).State == "active",
            TimeSpan.FromSeconds(30), "the NameNode to become active");

    /// <summary>Both DataNodes registered, as their first heartbeat would.</summary>
    public async Task RegisterDataNodesAsync()
    {
        foreach (var id in new[] { "dn1", "dn2" })
        {
            await DataNodes.RegisterDataNodeAsync(new RegisterDataNodeRequest { Node = NamespaceHarness.Info(id) });
        }
        await Eventually.WaitUntilAsync(async () => (await Client.GetFsStatsAsync(new GetFsStatsRequest())).LiveDatanodes == 2,
            TimeSpan.FromSeconds(30), "the registry snapshot to make both DataNodes live");
    }

    /// <summary>A one-block file of <paramref name="length"/> bytes written by <paramref name="user"/>, its replicas reported by every target.</summary>
    public async Task<LocatedBlock> WriteFileAsync(string path, string user, long length)
    {
        var created = await Client.CreateAsync(new CreateRequest { Path = path, ClientName = "writer", CreateParent = true }, As(user));
        var added = await Client.AddBlockAsync(new AddBlockRequest { Path = path, ClientName = "writer", FileId = created.Status.FileId }, As(user));
        var last = added.Block.Block.Clone();
        last.NumBytes = length;
        foreach (var target in added.Block.Locations)
        {
            var received = new BlockReceivedAndDeletedRequest { DatanodeId = target.Id };
            received.Received.Add(last);
            await DataNodes.BlockReceivedAndDeletedAsync(received);
        }
        Assert.True((await Client.CompleteAsync(new CompleteRequest { Path = path, ClientName = "writer", FileId = created.Status.FileId, Last = last }, As(user))).Completed);
        return added.Block;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(pathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(HttpVersion.Version11, response.Version);
        if (response.Content.Headers.ContentType is { } type)
        {
            Assert.Equal("text/html", type.MediaType);
        }
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _plane.DisposeAsync();
    }
}
