using PyHdfs.DataNode.Storage;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Failures;

/// <summary>A replica corrupted on disk is read around and replaced; a delete while a DataNode is down reaches it when it returns.</summary>
public sealed class CorruptionAndDeleteTests(FailureCluster cluster) : IClassFixture<FailureCluster>
{
    [Fact]
    public async Task A_corrupt_replica_is_read_around_and_replaced_by_a_good_one()
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var path = UniquePath("corrupt") + "/file.bin";
        var data = Random(MiB - 1000, seed: 301);
        await Dfs.WriteAsync(cluster.Client, path, data);
        var block = Assert.Single(await Replicas.BlocksAsync(cluster, path));
        var victim = block.Locations[0].Id;
        var victimDir = Replicas.DirectoryOf(cluster, victim);
        var replica = ReplicaInspector.FindReplica(victimDir, block.BlockId);
        Assert.NotNull(replica);

        Replicas.Corrupt(replica);

        // Whichever replica the readers pick first, they return the right bytes.
        for (var i = 0; i < 3; i++)
        {
            Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), $"{path} read {i}");
        }
        var local = cluster.LocalPath("corrupt-copy.bin");
        var get = await cluster.RunCliAsync("get", "-f", path, local);
        Assert.True(get.ExitCode == 0, get.ToString());
        Dfs.AssertSameBytes(data, await File.ReadAllBytesAsync(local, Dfs.Token), "pyhdfs get");

        // Reported (by a reader or the victim's scanner), re-replicated from the good one, then deleted.
        await Eventually.WaitUntilAsync(() =>
                Replicas.GoodHolders(cluster, block.BlockId).Count == PyHdfsCluster.Replication
                && (ReplicaInspector.FindReplica(victimDir, block.BlockId) is not { } left || ReplicaInspector.VerifyChecksums(left)),
            Replicas.Deadline, $"the corrupt replica of {block.Name} on {victim} replaced by a good one");
        await Replicas.WaitForFactorAsync(cluster, [path], PyHdfsCluster.Replication, "after the repair");
        Assert.True((await cluster.Client.FsckAsync(path, Dfs.Token)).Healthy);
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path + " after the repair");
    }

    [Fact]
    public async Task A_corrupt_replica_nobody_reads_is_found_by_the_scanner_and_replaced()
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var path = UniquePath("scanner") + "/file.bin";
        var data = Random(300 * KiB + 7, seed: 321);
        await Dfs.WriteAsync(cluster.Client, path, data);
        var block = Assert.Single(await Replicas.BlocksAsync(cluster, path));
        var victim = block.Locations[0].Id;
        var victimDir = Replicas.DirectoryOf(cluster, victim);

        Replicas.Corrupt(ReplicaInspector.FindReplica(victimDir, block.BlockId)!);

        // No read: only the victim's block scanner can notice.
        await Eventually.WaitUntilAsync(() =>
                Replicas.GoodHolders(cluster, block.BlockId).Count == PyHdfsCluster.Replication
                && (ReplicaInspector.FindReplica(victimDir, block.BlockId) is not { } left || ReplicaInspector.VerifyChecksums(left)),
            Replicas.Deadline, $"the scanner of {victim} to report {block.Name} and the NameNode to replace it");
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
    }

    [Fact]
    public async Task Replicas_of_files_deleted_while_a_datanode_was_down_disappear_when_it_returns()
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var root = UniquePath("rm-down");
        var paths = new[] { root + "/a.bin", root + "/b/c.bin" };
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            await Dfs.WriteAsync(cluster.Client, path, Random(2 * MiB + i, seed: 310 + i));
        }
        var victim = await Replicas.BusiestHolderAsync(cluster, paths);
        var victimDir = Replicas.DirectoryOf(cluster, victim);
        var blocks = new List<long>();
        foreach (var path in paths)
        {
            blocks.AddRange((await Replicas.BlocksAsync(cluster, path)).Select(b => b.BlockId));
        }
        var onVictim = blocks.Where(id => ReplicaInspector.FindReplica(victimDir, id) is not null).ToList();
        Assert.NotEmpty(onVictim);
        var staleBytes = onVictim.Sum(id => ReplicaInspector.FindReplica(victimDir, id)!.Length);
        var usedBefore = Replicas.DiskUsed(victimDir);
        // The NameNode's view catches up with the disk at the victim's next heartbeat.
        await Eventually.WaitUntilAsync(async () =>
                (await cluster.Client.GetDataNodeReportAsync(Dfs.Token)).Single(n => n.Node.Id == victim).UsedBytes == Replicas.DiskUsed(victimDir),
            Replicas.Deadline, $"{victim}'s reported used bytes to match its disk", TimeSpan.FromMilliseconds(200));

        await cluster.KillAsync(victim);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes - 1);
        var rm = await cluster.RunCliAsync("rm", "-r", root);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(root, Dfs.Token));
        Assert.All(onVictim, id => Assert.NotNull(ReplicaInspector.FindReplica(victimDir, id)));

        await cluster.StartAsync(victim);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);

        await Eventually.WaitUntilAsync(() => blocks.All(id => cluster.DataNodeDirectories.All(dir => ReplicaInspector.FindReplica(dir, id) is null)),
            Replicas.Deadline, $"every replica of the deleted files gone from every disk, {victim}'s included");
        await Eventually.WaitUntilAsync(async () =>
                (await cluster.Client.GetDataNodeReportAsync(Dfs.Token)).Single(n => n.Node.Id == victim) is { Live: true } node
                && node.UsedBytes <= usedBefore - staleBytes,
            Replicas.Deadline, $"{victim}'s used bytes to drop by {staleBytes}", TimeSpan.FromMilliseconds(200));
        Assert.True(Replicas.DiskUsed(victimDir) <= usedBefore - staleBytes, $"{victim}'s disk still holds {Replicas.DiskUsed(victimDir)} bytes");
    }
}
