using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.NameNode.Tests;

/// <summary>The real host (DI, start-up, gRPC, interceptor, health) against fake registry and metadata services.</summary>
public sealed class NameNodeHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<WebApplication> StartNameNodeAsync(FakeControlPlane plane, bool highAvailability = true)
    {
        var app = NameNodeHost.Build([
            "--urls=http://127.0.0.1:0",
            "--WebHdfs:Port=0",
            "--HadoopRpc:Port=-1",
            $"--services:zookeeper:grpc:0={plane.Address}",
            $"--services:metadata:grpc:0={plane.Address}",
            "--NameNode:Id=nn-test",
            "--NameNode:LeaderLeaseMs=3000",
            $"--NameNode:HighAvailability={highAvailability}",
            "--name_node:block_size=1048576",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    /// <summary>/health answers OK (standby or active) and the NameNode says it is the active one.</summary>
    private static async Task<bool> HealthyAsync(string address)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(address + "/health");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }
        using var channel = GrpcChannels.Create(new Uri(address));
        var status = await new ClientProtocol.ClientProtocolClient(channel).GetHaStatusAsync(new GetHaStatusRequest());
        return status.State == "active";
    }

    private static FakeControlPlane.FakeState StateWithImage()
    {
        var state = new FakeControlPlane.FakeState
        {
            Header = new ImageHeader { LastTxid = 10, LastInodeId = 5, LastBlockId = (1L << 30) + 7, LastGenerationStamp = 1200 },
        };
        state.Inodes.Add(new InodeRecord { Id = 2, ParentId = 1, Name = "old", Kind = InodeKind.Directory, Permission = 0x1ED });
        // Owned by bob (who writes /data below), writable by anyone: calls without a user header act as "nobody".
        state.Inodes.Add(new InodeRecord { Id = 1, ParentId = 0, Name = "", Kind = InodeKind.Directory, Owner = "bob", Permission = 0x1FF });
        state.LiveNodes.Add(NamespaceHarness.Info("dn1"));
        state.LiveNodes.Add(NamespaceHarness.Info("dn2"));
        return state;
    }

    [Fact]
    public async Task Starts_loads_serves_a_whole_write_and_journals_with_its_epoch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await FakeControlPlane.StartAsync(StateWithImage());
        await using var app = await StartNameNodeAsync(plane);
        var address = app.Urls.First();
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become healthy");

        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);
        var datanodes = new DataNodeProtocol.DataNodeProtocolClient(channel);
        var headers = new Grpc.Core.Metadata { { RequestHeaders.User, "bob" } };

        var ha = await client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: ct);
        Assert.Equal(("nn-test", "active", 3L, 10L), (ha.NamenodeId, ha.State, ha.Epoch, ha.LastAppliedTxid));
        Assert.Equal(FileType.Directory, (await client.GetFileInfoAsync(new GetFileInfoRequest { Path = "/old" }, cancellationToken: ct)).Status.Type);

        foreach (var id in new[] { "dn1", "dn2" })
        {
            await datanodes.RegisterDataNodeAsync(new RegisterDataNodeRequest { Node = NamespaceHarness.Info(id) }, cancellationToken: ct);
        }
        await client.MkdirsAsync(new MkdirsRequest { Path = "/data", CreateParent = true }, headers, cancellationToken: ct);
        var created = await client.CreateAsync(new CreateRequest { Path = "/data/f", ClientName = "w1" }, headers, cancellationToken: ct);
        Assert.Equal(1048576, created.Status.BlockSize);
        Assert.Equal(7, created.Status.FileId); // continues after the image's last inode id (5) and /data (6)
        var added = await Eventually.WaitForAsync(async () =>
            await client.AddBlockAsync(new AddBlockRequest { Path = "/data/f", ClientName = "w1", FileId = created.Status.FileId }, cancellationToken: ct),
            Timeout, "the registry snapshot to make DataNodes live");
        Assert.Equal((1L << 30) + 8, added.Block.Block.BlockId);
        Assert.Equal(2, added.Block.Locations.Count);

        var last = added.Block.Block.Clone();
        last.NumBytes = 42;
        var complete = new CompleteRequest { Path = "/data/f", ClientName = "w1", FileId = created.Status.FileId, Last = last };
        Assert.False((await client.CompleteAsync(complete, cancellationToken: ct)).Completed);
        var received = new BlockReceivedAndDeletedRequest { DatanodeId = added.Block.Locations[0].Id };
        received.Received.Add(last);
        await datanodes.BlockReceivedAndDeletedAsync(received, cancellationToken: ct);
        Assert.True((await client.CompleteAsync(complete, cancellationToken: ct)).Completed);

        var info = (await client.GetFileInfoAsync(new GetFileInfoRequest { Path = "/data/f" }, cancellationToken: ct)).Status;
        Assert.Equal((42L, "bob"), (info.Length, info.Owner));

        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetFileInfoAsync(new GetFileInfoRequest { Path = "/data/nope" }, cancellationToken: ct));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(ErrorKind.FileNotFound, DfsErrors.KindOf(missing));
        Assert.Equal("/data/nope: no such file or directory", missing.Status.Detail);

        lock (plane.State)
        {
            Assert.Equal(Enumerable.Range(11, plane.State.Journal.Count).Select(i => (long)i), plane.State.Journal.Select(e => e.Txid));
            Assert.All(plane.State.AppendEpochs, e => Assert.Equal(3, e));
            Assert.Equal(NamespaceOp.OpOneofCase.CompleteFile, plane.State.Journal[^1].Op.OpCase);
        }

        var heartbeat = await datanodes.SendHeartbeatAsync(new DataNodeHeartbeatRequest { Node = NamespaceHarness.Info("unknown") }, cancellationToken: ct);
        Assert.True(heartbeat.Reregister);
        var stats = await client.GetFsStatsAsync(new GetFsStatsRequest(), cancellationToken: ct);
        Assert.Equal(2, stats.LiveDatanodes);
        Assert.Equal(1, stats.TotalFiles);

        var deleted = await client.DeleteAsync(new DeleteRequest { Path = "/data", Recursive = true }, headers, cancellationToken: ct);
        Assert.Equal((1L, 1L, 1L), (deleted.FilesDeleted, deleted.DirectoriesDeleted, deleted.BlocksDeleted));
        var holder = NamespaceHarness.Info(added.Block.Locations[0].Id);
        var commands = (await datanodes.SendHeartbeatAsync(new DataNodeHeartbeatRequest { Node = holder }, cancellationToken: ct)).Commands;
        Assert.Equal(last.BlockId, Assert.Single(Assert.Single(commands).Delete.Blocks).BlockId);
        Assert.Empty((await datanodes.SendHeartbeatAsync(new DataNodeHeartbeatRequest { Node = holder }, cancellationToken: ct)).Commands);
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task Waits_for_the_metadata_service_before_serving_and_a_mutation_waits_through_its_outage()
    {
        var ct = TestContext.Current.CancellationToken;
        var state = StateWithImage();
        state.UnavailableLoads = 1_000_000;
        await using var plane = await FakeControlPlane.StartAsync(state);
        await using var app = await StartNameNodeAsync(plane);
        var address = app.Urls.First();
        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);

        await Eventually.WaitUntilAsync(() => { lock (state) { return state.LoadCalls >= 3; } }, Timeout, "load retries");
        Assert.False(await HealthyAsync(address));
        var early = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetFileInfoAsync(new GetFileInfoRequest { Path = "/" }, cancellationToken: ct));
        Assert.Equal(ErrorKind.StandbyNamenode, DfsErrors.KindOf(early));
        Assert.Contains("loading the namespace", early.Status.Detail);

        lock (state)
        {
            state.UnavailableLoads = 0;
            state.UnavailableAppends = 3;
        }
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become healthy");
        await client.MkdirsAsync(new MkdirsRequest { Path = "/after-outage" }, cancellationToken: ct);
        lock (state)
        {
            Assert.Equal(4, state.AppendCalls);
            Assert.Equal(11, Assert.Single(state.Journal).Txid);
        }
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task Follows_the_registry_watch_for_the_live_set()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await FakeControlPlane.StartAsync(StateWithImage());
        await using var app = await StartNameNodeAsync(plane);
        var address = app.Urls.First();
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become healthy");
        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);
        async Task<int> LiveAsync() => (await client.GetFsStatsAsync(new GetFsStatsRequest(), cancellationToken: ct)).LiveDatanodes;

        await Eventually.WaitUntilAsync(async () => await LiveAsync() == 2, Timeout, "the snapshot's two DataNodes");
        var removed = new Protocol.Registry.DataNodeEvent { Kind = Protocol.Registry.DataNodeEvent.Types.Kind.Removed };
        removed.Nodes.Add(NamespaceHarness.Info("dn2"));
        await plane.State.Events.Writer.WriteAsync(removed, ct);
        await Eventually.WaitUntilAsync(async () => await LiveAsync() == 1, Timeout, "dn2 to be dead");
        var report = await client.GetDataNodeReportAsync(new GetDataNodeReportRequest(), cancellationToken: ct);
        Assert.Equal([("dn1", true), ("dn2", false)], report.Nodes.Select(n => (n.Info.Address.Id, n.Live)));

        var added = new Protocol.Registry.DataNodeEvent { Kind = Protocol.Registry.DataNodeEvent.Types.Kind.Added };
        added.Nodes.Add(NamespaceHarness.Info("dn3"));
        await plane.State.Events.Writer.WriteAsync(added, ct);
        await Eventually.WaitUntilAsync(async () => await LiveAsync() == 2, Timeout, "dn3 to be live");
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task A_fenced_append_fails_the_call_and_the_namenode_steps_down_to_standby()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await FakeControlPlane.StartAsync(StateWithImage());
        await using var app = await StartNameNodeAsync(plane);
        var address = app.Urls.First();
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become healthy");
        var stopping = new TaskCompletionSource();
        app.Services.GetRequiredServiceLifetime().ApplicationStopping.Register(() => stopping.TrySetResult());
        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);
        await Eventually.WaitUntilAsync(async () => (await client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: ct)).State == "active",
            Timeout, "the NameNode to become active");
        lock (plane.State)
        {
            plane.State.Fenced = true;
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.MkdirsAsync(new MkdirsRequest { Path = "/x" }, cancellationToken: ct));
        Assert.Equal(ErrorKind.Fenced, DfsErrors.KindOf(e));
        // Another NameNode leads now: this one reloads and stays standby, refusing client calls, without exiting.
        await Eventually.WaitUntilAsync(async () => (await client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: ct)).State == "standby",
            Timeout, "the NameNode to step down to standby");
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.MkdirsAsync(new MkdirsRequest { Path = "/y" }, cancellationToken: ct));
        Assert.Equal(ErrorKind.StandbyNamenode, DfsErrors.KindOf(refused));
        Assert.False(stopping.Task.IsCompleted);
        Assert.Equal(0, Environment.ExitCode);
        lock (plane.State)
        {
            Assert.Empty(plane.State.Journal);
        }
    }
    [Fact]
    public async Task Without_high_availability_the_namenode_takes_the_next_epoch_from_the_metadata_service_and_never_campaigns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await FakeControlPlane.StartAsync(StateWithImage());
        await using var app = await StartNameNodeAsync(plane, highAvailability: false);
        var address = app.Urls.First();
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become active");
        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);

        await client.MkdirsAsync(new MkdirsRequest { Path = "/standalone" }, new Grpc.Core.Metadata { { RequestHeaders.User, "bob" } }, cancellationToken: ct);

        var ha = await client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: ct);
        Assert.Equal(("active", 3L, false), (ha.State, ha.Epoch, ha.HighAvailability));
        lock (plane.State)
        {
            Assert.Equal(0, plane.State.CampaignCalls);
            Assert.All(plane.State.AppendEpochs, e => Assert.Equal(3, e));
            Assert.NotEmpty(plane.State.AppendEpochs);
        }
    }

    [Fact]
    public async Task Without_high_availability_a_fenced_namenode_stops_rather_than_waiting_as_a_standby()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await FakeControlPlane.StartAsync(StateWithImage());
        await using var app = await StartNameNodeAsync(plane, highAvailability: false);
        var address = app.Urls.First();
        await Eventually.WaitUntilAsync(() => HealthyAsync(address), Timeout, "the NameNode to become active");
        var stopping = new TaskCompletionSource();
        app.Services.GetRequiredServiceLifetime().ApplicationStopping.Register(() => stopping.TrySetResult());
        using var channel = GrpcChannels.Create(new Uri(address));
        var client = new ClientProtocol.ClientProtocolClient(channel);
        lock (plane.State)
        {
            plane.State.Fenced = true;
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.MkdirsAsync(new MkdirsRequest { Path = "/x" }, cancellationToken: ct));

        Assert.Equal(ErrorKind.Fenced, DfsErrors.KindOf(e));
        await stopping.Task.WaitAsync(Timeout, ct);
        Assert.Equal(1, Environment.ExitCode);
        Environment.ExitCode = 0;
    }
}

internal static class ServiceProviderExtensions
{
    public static IHostApplicationLifetime GetRequiredServiceLifetime(this IServiceProvider services) =>
        (IHostApplicationLifetime)services.GetService(typeof(IHostApplicationLifetime))!;
}
