using System.Text;
using PyHdfs.Client;
using PyHdfs.DataNode.Storage;
using PyHdfs.IntegrationTests.Failures;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Hadoop;

/// <summary>
/// Debian's Go `hdfs` reading files our own client wrote: getBlockLocations on the NameNode, then Hadoop's
/// READ_BLOCK on the DataNodes' data port, re-checksummed from our 64 KiB CRCs into Hadoop's 512-byte ones.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class HadoopCliReadTests(PyHdfsCluster cluster)
{
    private static readonly string SuperUser = Environment.UserName;

    private string Address => HadoopCli.Address(cluster);

    /// <summary>Numbered ASCII lines, so text commands (cat, tail, head) can be compared as strings.</summary>
    private static string Lines(int count) =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"line {i:D7} of the multi-block text file\n"));

    [Fact]
    public async Task Get_of_a_multi_block_file_is_byte_identical()
    {
        HadoopCli.SkipUnlessInstalled();
        var path = UniquePath("hadoop-get") + "/data.bin";
        var data = Random((5 * MiB / 2) + 123, seed: 41);
        await Dfs.WriteAsync(cluster.Client, path, data, new DfsCreateOptions { BlockSizeBytes = MiB });
        Assert.Equal(3, (await Replicas.BlocksAsync(cluster, path)).Count);
        var local = cluster.LocalPath($"hadoop-get-{Guid.NewGuid():N}.bin");

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "get", path, local);

        Assert.True(exit == 0, $"hdfs get {path} exited {exit}: {stderr}");
        Dfs.AssertSameBytes(data, await File.ReadAllBytesAsync(local, Dfs.Token), $"hdfs get {path}");
    }

    [Fact]
    public async Task Cat_head_and_tail_read_whole_files_and_ranges_that_start_mid_block()
    {
        HadoopCli.SkipUnlessInstalled();
        var path = UniquePath("hadoop-cat") + "/text.txt";
        var text = Lines(60_000); // ≈ 2.6 MiB: three 1 MiB blocks
        await Dfs.WriteAsync(cluster.Client, path, Encoding.ASCII.GetBytes(text), new DfsCreateOptions { BlockSizeBytes = MiB });

        var (exit, stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "cat", path);
        Assert.True(exit == 0, $"hdfs cat {path} exited {exit}: {stderr}");
        Assert.True(text == stdout, $"hdfs cat {path} printed {stdout.Length} characters, expected {text.Length}");

        (exit, stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "tail", "-c", "1000", path);
        Assert.True(exit == 0, $"hdfs tail -c 1000 {path} exited {exit}: {stderr}");
        Assert.Equal(text[^1000..], stdout);

        (exit, stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "head", "-n", "3", path);
        Assert.True(exit == 0, $"hdfs head -n 3 {path} exited {exit}: {stderr}");
        Assert.Equal(Lines(3), stdout);
    }

    [Fact]
    public async Task A_corrupt_replica_is_never_what_cat_prints()
    {
        HadoopCli.SkipUnlessInstalled();
        var path = UniquePath("hadoop-corrupt") + "/text.txt";
        var text = Lines(20_000); // ≈ 0.9 MiB: one block, two replicas
        await Dfs.WriteAsync(cluster.Client, path, Encoding.ASCII.GetBytes(text));
        await Eventually.WaitUntilAsync(async () => Assert.Single(await Replicas.BlocksAsync(cluster, path)).Locations.Count == PyHdfsCluster.Replication,
            Replicas.Deadline, $"{PyHdfsCluster.Replication} locations of {path}");
        var block = Assert.Single(await Replicas.BlocksAsync(cluster, path));
        var victim = block.Locations[0].Id;
        var replica = ReplicaInspector.FindReplica(Replicas.DirectoryOf(cluster, victim), block.BlockId);
        Assert.NotNull(replica);
        Replicas.Corrupt(replica);

        // The NameNode lists the two replicas in random order: whichever the client tries first, it prints the good bytes.
        for (var i = 0; i < 4; i++)
        {
            var (exit, stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "cat", path);
            Assert.True(exit == 0, $"hdfs cat {path} (read {i}) exited {exit}: {stderr}");
            Assert.True(text == stdout, $"hdfs cat {path} (read {i}) printed other bytes than were written");
        }
    }
}
