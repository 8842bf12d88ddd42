using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Failures;

/// <summary>kill -9 of a DataNode: its blocks are copied back to their factor; when it returns, its excess replicas go.</summary>
public sealed class DataNodeKillTests(FailureCluster cluster) : IClassFixture<FailureCluster>
{
    [Fact]
    public async Task Every_block_of_a_killed_datanode_is_back_at_its_factor_and_its_return_removes_the_excess()
    {
        var root = UniquePath("kill");
        var files = new Dictionary<string, byte[]>
        {
            [root + "/three-blocks.bin"] = Random(3 * MiB + 5, seed: 201),
            [root + "/one-block.bin"] = Random(MiB, seed: 202),
            [root + "/small.bin"] = Random(10 * KiB + 3, seed: 203),
            [root + "/sub/two-blocks.bin"] = Random(2 * MiB - 1, seed: 204),
        };
        foreach (var (path, data) in files)
        {
            await Dfs.WriteAsync(cluster.Client, path, data);
        }
        var victim = await Replicas.BusiestHolderAsync(cluster, files.Keys);

        await cluster.KillAsync(victim);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes - 1);

        var live = cluster.DataNodeNames.Where(n => n != victim).ToList();
        foreach (var path in files.Keys)
        {
            foreach (var block in await Replicas.BlocksAsync(cluster, path))
            {
                await Eventually.WaitUntilAsync(() => Replicas.GoodHolders(cluster, block.BlockId).Count(live.Contains) == PyHdfsCluster.Replication,
                    Replicas.Deadline, $"{block.Name} of {path} back at {PyHdfsCluster.Replication} good replicas on live DataNodes");
            }
        }
        await Eventually.WaitUntilAsync(async () => (await cluster.Client.FsckAsync(root, Dfs.Token)) is { Healthy: true, UnderReplicatedBlocks: 0 },
            Replicas.Deadline, "fsck to see every block at its factor", TimeSpan.FromMilliseconds(200));
        foreach (var (path, data) in files)
        {
            Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
        }

        // The victim returns with its old replicas: they are excess now and are removed.
        await cluster.StartAsync(victim);
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        await Replicas.WaitForFactorAsync(cluster, files.Keys, PyHdfsCluster.Replication, $"{victim} came back");
        foreach (var (path, data) in files)
        {
            Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path + " after the return");
        }
    }
}
