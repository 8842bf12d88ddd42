using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>The namespace is durable: restarting (or crashing) the metadata service and the NameNode loses nothing.</summary>
public sealed class RestartTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Namespace_and_contents_are_identical_after_restarting_metadata_and_namenode(bool crash)
    {
        var root = UniquePath(crash ? "crash" : "restart");
        var files = new Dictionary<string, byte[]>
        {
            [root + "/empty"] = [],
            [root + "/a/small.txt"] = "small\n"u8.ToArray(),
            [root + "/a/b/multi-block.bin"] = Random(2 * MiB + 99, seed: 41),
            [root + "/c/one-block.bin"] = Random(MiB, seed: 42),
        };
        await cluster.Client.MkdirsAsync(root + "/empty-dir", createParent: true, Dfs.Token);
        foreach (var (path, data) in files)
        {
            await Dfs.WriteAsync(cluster.Client, path, data);
        }
        await cluster.Client.RenameAsync(root + "/c/one-block.bin", root + "/c/renamed.bin", Dfs.Token);
        files[root + "/c/renamed.bin"] = files[root + "/c/one-block.bin"];
        files.Remove(root + "/c/one-block.bin");
        var before = await SnapshotAsync(root);

        if (crash)
        {
            await cluster.KillAsync("namenode");
            await cluster.KillAsync("metadata");
        }
        else
        {
            await cluster.StopAsync("namenode");
            await cluster.StopAsync("metadata");
        }
        await cluster.StartAsync("metadata");
        await cluster.StartAsync("namenode");
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);

        await using var client = cluster.CreateClient();
        Assert.Equal(before, await SnapshotAsync(root));
        foreach (var (path, data) in files)
        {
            // Block locations come back with the DataNodes' block reports.
            var read = await Eventually.WaitForAsync(async () => await Dfs.ReadAllAsync(client, path),
                TimeSpan.FromSeconds(60), $"{path} readable after the restart");
            Dfs.AssertSameBytes(data, read, path);
        }
        // And the restarted NameNode accepts new writes.
        await Dfs.WriteAsync(client, root + "/after", Random(1234, 43));
        Assert.Equal(1234, (await client.GetFileStatusAsync(root + "/after", Dfs.Token)).Length);
    }

    /// <summary>Every entry under root with its type, length and replication, in a stable order.</summary>
    private async Task<List<string>> SnapshotAsync(string root)
    {
        var lines = new List<string>();
        async Task Walk(string path)
        {
            await foreach (var entry in cluster.Client.ListAsync(path, Dfs.Token))
            {
                lines.Add($"{entry.Path} {(entry.IsDirectory ? "dir" : "file")} {entry.Length} {entry.Replication} {entry.BlockCount}");
                if (entry.IsDirectory)
                {
                    await Walk(entry.Path);
                }
            }
        }
        await Walk(root);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
