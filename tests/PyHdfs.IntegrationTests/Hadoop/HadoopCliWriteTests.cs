using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using PyHdfs.Client;
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
        HadoopCli.SkipUnlessInstalled();
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
    public async Task Put_from_stdin_then_getmerge_concatenates_the_files_of_a_directory()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-stdin");
        var lines = string.Concat(Enumerable.Range(1, 30).Select(i => $"{i}\n"));

        var (exit, _, stderr) = await HadoopCli.RunWithInputAsync(Address, SuperUser, Encoding.ASCII.GetBytes(lines), "put", "-", dir + "/lines.txt");
        Assert.True(exit == 0, $"seq 1 30 | hdfs put - {dir}/lines.txt exited {exit}: {stderr}");
        (exit, var cat, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "cat", dir + "/lines.txt");
        Assert.True(exit == 0, $"hdfs cat exited {exit}: {stderr}");
        Assert.Equal(lines, cat);

        var second = Random((3 * MiB / 2) + 7, seed: 44);
        await Dfs.WriteAsync(cluster.Client, dir + "/second.bin", second);
        var merged = cluster.LocalPath($"hadoop-merged-{Guid.NewGuid():N}.bin");
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "getmerge", dir, merged);
        Assert.True(exit == 0, $"hdfs getmerge {dir} exited {exit}: {stderr}");
        Dfs.AssertSameBytes([.. Encoding.ASCII.GetBytes(lines), .. second], await File.ReadAllBytesAsync(merged, Dfs.Token), $"hdfs getmerge {dir}");

        var withNewlines = cluster.LocalPath($"hadoop-merged-n-{Guid.NewGuid():N}.bin");
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "getmerge", "-n", dir, withNewlines);
        Assert.True(exit == 0, $"hdfs getmerge -n {dir} exited {exit}: {stderr}");
        Dfs.AssertSameBytes([.. Encoding.ASCII.GetBytes(lines + "\n"), .. second, (byte)'\n'], await File.ReadAllBytesAsync(withNewlines, Dfs.Token), $"hdfs getmerge -n {dir}");
    }

    [Fact]
    public async Task Truncate_cuts_inside_a_block_keeping_the_bytes_before_the_cut_and_refuses_growth()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-truncate");
        var lines = dir + "/lines.txt";
        await Dfs.WriteAsync(cluster.Client, lines, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 30).Select(i => $"{i}\n"))));
        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "truncate", "5", lines);
        Assert.True(exit == 0, $"hdfs truncate 5 {lines} exited {exit}: {stderr}");
        (exit, var cat, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "cat", lines);
        Assert.True(exit == 0, $"hdfs cat exited {exit}: {stderr}");
        Assert.Equal("1\n2\n3", cat);

        var big = dir + "/big.bin";
        var data = Random((5 * MiB / 2) + 9, seed: 45);
        await Dfs.WriteAsync(cluster.Client, big, data);
        var cut = (3 * MiB / 2) + 3;
        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "truncate", cut.ToString(System.Globalization.CultureInfo.InvariantCulture), big);
        Assert.True(exit == 0, $"hdfs truncate {cut} {big} exited {exit}: {stderr}");
        Dfs.AssertSameBytes(data[..cut], await Dfs.ReadAllAsync(cluster.Client, big), $"{big} after hdfs truncate {cut}");

        (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "truncate", "999999999", big);
        Assert.NotEqual(0, exit);
        Assert.Contains(big, stderr, StringComparison.Ordinal);
        Dfs.AssertSameBytes(data[..cut], await Dfs.ReadAllAsync(cluster.Client, big), $"{big} after a refused truncate");

        (exit, _, stderr) = await HadoopCli.RunAsync(Address, "mallory", "truncate", "1", big);
        Assert.NotEqual(0, exit);
        Assert.Contains("permission denied", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_into_a_directory_takes_the_local_name_and_a_second_put_is_refused_without_touching_the_file()
    {
        HadoopCli.SkipUnlessInstalled();
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
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-put-denied");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        var local = cluster.LocalPath($"denied-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "not allowed\n", Dfs.Token);

        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, "mallory", "put", local, dir + "/x.txt");

        Assert.NotEqual(0, exit);
        Assert.Contains("permission denied", stderr, StringComparison.Ordinal);
        Assert.Empty(await Dfs.ListNamesAsync(cluster.Client, dir));
    }

    [Fact]
    public async Task Checksum_is_the_same_whether_our_client_or_hdfs_put_wrote_the_bytes()
    {
        HadoopCli.SkipUnlessInstalled();
        var dir = UniquePath("hadoop-checksum");
        await cluster.Client.MkdirsAsync(dir, createParent: true, Dfs.Token);
        var data = Random((2 * MiB) + 777, seed: 44);
        await Dfs.WriteAsync(cluster.Client, dir + "/ours.bin", data, new DfsCreateOptions { BlockSizeBytes = MiB });
        var local = cluster.LocalPath($"hadoop-checksum-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, data, Dfs.Token);
        var (exit, _, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "put", local, dir + "/theirs.bin");
        Assert.True(exit == 0, $"hdfs put exited {exit}: {stderr}");
        var expected = GoClientChecksum(data, MiB);

        foreach (var name in new[] { "ours.bin", "theirs.bin" })
        {
            var path = $"{dir}/{name}";
            (exit, var stdout, stderr) = await HadoopCli.RunAsync(Address, SuperUser, "checksum", path);
            Assert.True(exit == 0, $"hdfs checksum {path} exited {exit}: {stderr}");
            Assert.Equal($"{expected} {path}", stdout.Trim());
        }
    }

    /// <summary>
    /// What the Go client prints (reference §3.6), computed from the bytes: per block the MD5 of each 512-byte
    /// chunk's big-endian CRC32, then the MD5 of those MD5s zero-padded to max(32, the next power of two) bytes.
    /// </summary>
    private static string GoClientChecksum(byte[] data, int blockSize)
    {
        var blockMd5s = new List<byte>();
        var crc = new byte[4];
        for (var start = 0; start < data.Length; start += blockSize)
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var end = Math.Min(data.Length, start + blockSize);
            for (var at = start; at < end; at += 512)
            {
                BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(data.AsSpan(at, Math.Min(512, end - at))));
                md5.AppendData(crc);
            }
            blockMd5s.AddRange(md5.GetHashAndReset());
        }
        var padded = new byte[Math.Max(32, (int)BitOperations.RoundUpToPowerOf2((uint)blockMd5s.Count))];
        blockMd5s.CopyTo(padded);
        using var fileMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        fileMd5.AppendData(padded);
        return Convert.ToHexStringLower(fileMd5.GetHashAndReset());
    }
}
