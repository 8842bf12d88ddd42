using PyHdfs.DataNode.Storage;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>A dead DataNode's replicas are copied elsewhere until every block is back at its replication factor.</summary>
public sealed class ReReplicationTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    [Fact]
    public async Task Blocks_of_a_killed_datanode_are_re_replicated_on_the_live_ones()
    {
        var path = UniquePath("rerep");
        var data = Random(MiB + 77, seed: 71);
        await Dfs.WriteAsync(cluster.Client, path, data);
        var blocks = await cluster.Client.GetBlockLocationsAsync(path, cancellationToken: Dfs.Token);
        var victim = blocks[0].Locations[0].Id;
        var victimIndex = cluster.DataNodeNames.ToList().IndexOf(victim);
        Assert.True(victimIndex >= 0, $"unknown DataNode id {victim}");

        await cluster.KillAsync(victim);

        var live = cluster.DataNodeDirectories.Where((_, i) => i != victimIndex).ToList();
        foreach (var block in blocks)
        {
            await Eventually.WaitUntilAsync(() =>
                live.Count(dir => ReplicaInspector.FindReplicas(dir, block.BlockId).Any(ReplicaInspector.VerifyChecksums)) == PyHdfsCluster.Replication,
                TimeSpan.FromSeconds(90), $"{block.Name} back at {PyHdfsCluster.Replication} replicas on live DataNodes");
        }
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
    }
}
