using System.Text;
using PyHdfs.IntegrationTests.Failures;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Hadoop;

/// <summary>
/// Debian's Go `hdfs` writing: create, addBlock, Hadoop's WRITE_BLOCK to the first DataNode (which forwards
/// the block down our own pipeline), updateBlockForPipeline and complete. What it writes is read back by our
/// own client, by `hdfs get`, and is replicated to the cluster's factor.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class HadoopCliWriteTests(PyHdfsCluster cluster)
{
    private static readonly string SuperUser = Environment.UserName;

    private string Address => HadoopCli.Address(cluster);

    [Fact]
    public async Task Put_of_a_multi_block_file_reads_back_byte_identical_with_every_block_replicated()
    {
        Assert.SkipUnless(File.Exists(HadoopCli.Program), $"{HadoopCli.Program} is missing: apt-get install -y hdfs-cli (scripts/test.sh does)");
        var dir = UniquePath("hadoop-put");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        var data = Random((5 * MiB / 2) + 123, seed: 43);
        var local = cluster.LocalPath($"hadoop-put-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, data, Dfs.Token);

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "put", local, dir + "/big.bin");

        Assert.True(exit == 0, $"hdfs put {local} {dir}/big.bin exited {exit}: {stderr}");
        var path = dir + "/big.bin";
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), $"our client reading {path} written by hdfs put");
        var blocks = await Replicas.BlocksAsync(cluster, path);
        Assert.Equal(3, blocks.Count);
        Assert.Equal([MiB, MiB, (MiB / 2) + 123], blocks.Select(b => b.Length).ToArray());
        await Replicas.WaitForFactorAsync(cluster, [path], PyHdfsCluster.Replication, "hdfs put through a two-node pipeline");

        var back = cluster.LocalPath($"hadoop-put-back-{Guid.NewGuid():N}.bin");
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "get", path, back);
        Assert.True(exit == 0, $"hdfs get {path} exited {exit}: {stderr}");
        Dfs.AssertSameBytes(data, await File.ReadAllBytesAsync(back, Dfs.Token), $"hdfs get {path} written by hdfs put");
    }

    [Fact]
    public async Task Put_into_a_directory_takes_the_local_name_and_a_second_put_is_refused_without_touching_the_file()
    {
        Assert.SkipUnless(File.Exists(HadoopCli.Program), $"{HadoopCli.Program} is missing: apt-get install -y hdfs-cli (scripts/test.sh does)");
        var dir = UniquePath("hadoop-put-dir");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        var name = $"small-{Guid.NewGuid():N}.txt";
        var local = cluster.LocalPath(name);
        await File.WriteAllTextAsync(local, "first version\n", Dfs.Token);

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "put", local, dir);
        Assert.True(exit == 0, $"hdfs put {local} {dir} exited {exit}: {stderr}");

        await File.WriteAllTextAsync(local, "second version, longer\n", Dfs.Token);
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "put", local, dir);
        Assert.NotEqual(0, exit);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
        Assert.Equal("first version\n", Encoding.UTF8.GetString(await Dfs.ReadAllAsync(cluster.Client, $"{dir}/{name}")));
    }

    [Fact]
    public async Task A_user_without_write_permission_on_the_directory_cannot_put()
    {
        Assert.SkipUnless(File.Exists(HadoopCli.Program), $"{HadoopCli.Program} is missing: apt-get install -y hdfs-cli (scripts/test.sh does)");
        var dir = UniquePath("hadoop-put-denied");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        var local = cluster.LocalPath($"denied-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "not allowed\n", Dfs.Token);

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, "mallory", "put", local, dir + "/x.txt");

        Assert.NotEqual(0, exit);
        Assert.Contains("permission denied", stderr, StringComparison.Ordinal);
        Assert.Empty(await Dfs.ListNamesAsync(cluster.Client, dir));
    }
}
