using PyHdfs.Protocol;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// Fewer live DataNodes than the replication factor: the documented behaviour (docs/client.md) is a
/// degraded write that succeeds with a warning (the NameNode re-replicates later, see
/// <see cref="ReReplicationTests"/>); no live DataNode at all is an error and leaves nothing behind.
/// </summary>
public sealed class DataNodeLossTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    [Fact]
    public async Task Below_replication_a_put_warns_and_without_datanodes_it_fails()
    {
        var root = UniquePath("loss");
        await cluster.KillAsync("datanode-2");
        await cluster.KillAsync("datanode-3");
        await cluster.WaitForLiveDataNodesAsync(1);

        var data = Random(MiB + 10, seed: 51);
        var degraded = await cluster.RunCliAsync(data, "put", "-", root + "/degraded.bin");
        Assert.True(degraded.ExitCode == 0, degraded.ToString());
        Assert.Contains("1 of 2 replicas", degraded.Stderr, StringComparison.Ordinal);
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, root + "/degraded.bin"), "degraded file");

        await cluster.KillAsync("datanode-1");
        await cluster.WaitForLiveDataNodesAsync(0);

        var failed = await cluster.RunCliAsync(data, "put", "-", root + "/nowhere.bin");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Single(failed.StderrLines);
        Assert.DoesNotContain("   at ", failed.Stderr, StringComparison.Ordinal);
        await Dfs.AssertFailsAsync(() => Dfs.WriteAsync(cluster.Client, root + "/nowhere-either.bin", data), ErrorKind.NotEnoughDatanodes);
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(root + "/nowhere.bin", Dfs.Token));
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(root + "/nowhere-either.bin", Dfs.Token));
    }
}
