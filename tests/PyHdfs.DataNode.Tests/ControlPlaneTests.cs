using System.Net;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

public sealed class ControlPlaneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static Dictionary<string, string> Wiring(FakeControlPlane plane) => new()
    {
        ["services:zookeeper:grpc:0"] = plane.Address,
        ["services:namenode:grpc:0"] = plane.Address,
    };

    [Fact]
    public async Task Registers_reports_blocks_and_reports_each_finalized_replica_at_once()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        await using var node = await InProcessDataNode.StartAsync("dn-control", settings: Wiring(plane));
        var record = plane.Record;

        var registered = await Eventually.WaitForAsync(() => Task.FromResult(record.RegistryRegistrations.FirstOrDefault()), Timeout, "registry registration");
        Assert.Equal("dn-control", registered.Address.Id);
        Assert.Equal(node.Port, registered.Address.DataPort);
        Assert.Equal(node.HttpAddress, registered.HttpAddress);
        Assert.True(registered.CapacityBytes > 0 && registered.RemainingBytes > 0, "capacity and free space are advertised");
        await Eventually.WaitUntilAsync(() => !record.BlockReports.IsEmpty && record.NameNodeHeartbeats.Count >= 2 && record.RegistryHeartbeats.Count >= 2,
            Timeout, "full block report and heartbeats");
        Assert.Empty(record.BlockReports.First().Blocks);

        var data = TestTransferClient.RandomBytes(70_000, 20);
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(600, 1001, 512), data)).FullySucceeded);

        var received = await Eventually.WaitForAsync(() => Task.FromResult(record.Received.FirstOrDefault(b => b.BlockId == 600)), Timeout, "BlockReceivedAndDeleted for blk_600");
        Assert.Equal(1001, received.GenerationStamp);
        Assert.Equal(data.Length, received.NumBytes);
        Assert.Equal("dn-control", record.Incremental.First().DatanodeId);
        await Eventually.WaitUntilAsync(() => record.NameNodeHeartbeats.Any(h => h.Node.BlockCount == 1 && h.Node.UsedBytes == data.Length),
            Timeout, "a heartbeat counting the replica");
    }

    [Fact]
    public async Task Delete_command_deletes_the_replica_and_reports_it_deleted()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        await using var node = await InProcessDataNode.StartAsync("dn-delete", settings: Wiring(plane));
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(601, 1001, 512), new byte[4000])).FullySucceeded);
        Assert.NotNull(ReplicaInspector.FindReplica(node.DataDir, 601));

        var delete = new DeleteBlocksCommand();
        delete.Blocks.Add(new BlockRef { BlockId = 601, GenerationStamp = 1001 });
        plane.Record.PendingCommands.Enqueue(new DataNodeCommand { Delete = delete });

        await Eventually.WaitUntilAsync(() => plane.Record.Deleted.Any(b => b.BlockId == 601), Timeout, "blk_601 reported deleted");
        Assert.Null(ReplicaInspector.FindReplica(node.DataDir, 601));
        var read = await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(601, 1001));
        Assert.Equal(TransferStatus.ErrorNotFound, read.Response.Status);
    }

    [Fact]
    public async Task Replicate_command_copies_the_replica_to_the_targets()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        await using var source = await InProcessDataNode.StartAsync("dn-source", settings: Wiring(plane));
        await using var target1 = await InProcessDataNode.StartAsync("dn-target1");
        await using var target2 = await InProcessDataNode.StartAsync("dn-target2");
        var data = TestTransferClient.RandomBytes(600_000, 21);
        Assert.True((await TestTransferClient.WriteAsync(source.Address, TestTransferClient.Header(602, 1003, 4096), data)).FullySucceeded);

        var replicate = new ReplicateCommand { Block = new BlockRef { BlockId = 602, GenerationStamp = 1003, NumBytes = data.Length } };
        replicate.Targets.Add(target1.Address);
        replicate.Targets.Add(target2.Address);
        plane.Record.PendingCommands.Enqueue(new DataNodeCommand { Replicate = replicate });

        foreach (var target in new[] { target1, target2 })
        {
            var replica = await Eventually.WaitForAsync(() => Task.FromResult(ReplicaInspector.FindReplica(target.DataDir, 602)), Timeout, $"blk_602 on {target.Id}");
            Assert.Equal(1003, replica.GenerationStamp);
            Assert.Equal(4096, replica.BytesPerChecksum);
            Assert.True(ReplicaInspector.VerifyChecksums(replica));
            Assert.Equal(data, await File.ReadAllBytesAsync(replica.DataPath, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Reregister_request_triggers_a_new_registration_and_full_report()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        await using var node = await InProcessDataNode.StartAsync("dn-rereg", settings: Wiring(plane));
        await Eventually.WaitUntilAsync(() => plane.Record.BlockReports.Count == 1, Timeout, "first registration");
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(603, 1001, 512), new byte[1000])).FullySucceeded);
        await Eventually.WaitUntilAsync(() => plane.Record.Received.Any(), Timeout, "incremental report of blk_603");
        Assert.Single(plane.Record.NameNodeRegistrations);

        plane.Record.AskReregister = true;

        await Eventually.WaitUntilAsync(() => plane.Record.NameNodeRegistrations.Count >= 2 && plane.Record.BlockReports.Count >= 2, Timeout, "re-registration");
        var report = plane.Record.BlockReports.Last();
        Assert.Contains(report.Blocks, b => b.BlockId == 603 && b.NumBytes == 1000);
    }

    [Fact]
    public async Task Data_plane_and_health_work_while_the_control_plane_is_unreachable()
    {
        var deadAddress = $"http://127.0.0.1:{FreePort.Next()}";
        await using var node = await InProcessDataNode.StartAsync("dn-alone", settings: new Dictionary<string, string>
        {
            ["services:zookeeper:grpc:0"] = deadAddress,
            ["services:namenode:grpc:0"] = deadAddress,
        });

        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var health = await http.GetAsync(new Uri(new Uri(node.HttpAddress), "/health"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var data = TestTransferClient.RandomBytes(100_000, 22);
        Assert.True((await TestTransferClient.WriteAsync(node.Address, TestTransferClient.Header(604, 1001, 512), data)).FullySucceeded);
        Assert.Equal(data, (await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(604, 1001))).Data);
    }
}
