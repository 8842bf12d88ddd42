using PyHdfs.Client;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>Files through real processes with the client library: what goes in comes out, and is stored as promised.</summary>
[Collection(StandardCluster.Name)]
public sealed class RoundTripTests(PyHdfsCluster cluster)
{
    private DfsClient Client => cluster.Client;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * KiB)]
    [InlineData(MiB - 1)]
    [InlineData(MiB)]
    [InlineData(MiB + 1)]
    [InlineData(3 * MiB + 12_345)]
    public async Task Random_content_round_trips_byte_for_byte(int length)
    {
        var data = Random(length, seed: length);
        var path = UniquePath("roundtrip") + "/file.bin";

        await Dfs.WriteAsync(Client, path, data);

        var status = await Client.GetFileStatusAsync(path, Dfs.Token);
        Assert.False(status.IsDirectory);
        Assert.Equal(length, status.Length);
        Assert.Equal((int)((length + PyHdfsCluster.BlockSizeBytes - 1) / PyHdfsCluster.BlockSizeBytes), status.BlockCount);
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(Client, path), $"{path} ({length} bytes, seed {length})");
        // A second, independent client sees the same bytes.
        await using var other = cluster.CreateClient();
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(other, path), $"{path} read by another client");
    }

    [Fact]
    public async Task Seek_reads_from_any_offset_across_block_boundaries()
    {
        var data = Random(3 * MiB, seed: 7);
        var path = UniquePath("seek");
        await Dfs.WriteAsync(Client, path, data);

        await using var input = await Client.OpenAsync(path, Dfs.Token);
        Assert.True(input.CanSeek);
        foreach (var offset in new long[] { MiB - 10, 2 * MiB + 5, 0, 3 * MiB - 1 })
        {
            input.Seek(offset, SeekOrigin.Begin);
            var buffer = new byte[20];
            var read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, Dfs.Token);
            var expected = data.AsSpan((int)offset, Math.Min(20, data.Length - (int)offset)).ToArray();
            Assert.Equal(expected, buffer[..read]);
        }
    }

    [Fact]
    public async Task Every_block_has_replication_finalized_replicas_on_distinct_datanodes_with_valid_checksums()
    {
        var data = Random(2 * MiB + 100, seed: 11);
        var path = UniquePath("replicas");
        await Dfs.WriteAsync(Client, path, data);

        var blocks = await Client.GetBlockLocationsAsync(path, cancellationToken: Dfs.Token);
        Assert.Equal(3, blocks.Count);
        foreach (var block in blocks)
        {
            // The disks are the source of truth; the NameNode's view may lag a heartbeat behind.
            var holders = await PyHdfs.Testing.Eventually.WaitForAsync(() =>
            {
                var found = cluster.DataNodeDirectories
                    .Select(dir => (dir, replicas: ReplicaInspector.FindReplicas(dir, block.BlockId)))
                    .Where(x => x.replicas.Count > 0)
                    .ToList();
                return Task.FromResult(found.Count == PyHdfsCluster.Replication ? found : null);
            }, TimeSpan.FromSeconds(30), $"{PyHdfsCluster.Replication} replicas of {block.Name} on disk");

            Assert.Equal(holders.Count, holders.Select(h => h.dir).Distinct().Count());
            foreach (var (dir, replicas) in holders)
            {
                var replica = Assert.Single(replicas);
                Assert.Equal(block.GenerationStamp, replica.GenerationStamp);
                Assert.Equal(block.Length, replica.Length);
                Assert.True(ReplicaInspector.VerifyChecksums(replica), $"{block.Name} on {dir}: checksum mismatch");
            }
        }

        // The NameNode learns of each replica from its DataNode's blockReceived, which may trail the
        // writer's close; it must come to list every replica on a distinct DataNode.
        await PyHdfs.Testing.Eventually.WaitForAsync(async () =>
        {
            var located = await Client.GetBlockLocationsAsync(path, cancellationToken: Dfs.Token);
            return located.All(b => b.Locations.Select(l => l.Id).Distinct().Count() == PyHdfsCluster.Replication) ? located : null;
        }, TimeSpan.FromSeconds(30), $"the NameNode listing {PyHdfsCluster.Replication} distinct locations for every block of {path}");
    }

    [Fact]
    public async Task A_file_is_invisible_until_its_writer_closes_it()
    {
        var directory = UniquePath("invisible");
        await Client.MkdirsAsync(directory, createParent: true, Dfs.Token);
        var path = directory + "/pending.bin";
        var data = Random(MiB + 500, seed: 3);
        await using var other = cluster.CreateClient();

        var output = await Client.CreateAsync(path, new DfsCreateOptions(), Dfs.Token);
        await using (output)
        {
            await output.WriteAsync(data, Dfs.Token);

            Assert.Null(await other.TryGetFileStatusAsync(path, Dfs.Token));
            Assert.DoesNotContain("pending.bin", await Dfs.ListNamesAsync(other, directory));
            await Dfs.AssertFailsAsync(() => other.OpenAsync(path, Dfs.Token), ErrorKind.FileNotFound);

            await output.CloseAsync(Dfs.Token);
        }

        Assert.Equal(data.Length, (await other.GetFileStatusAsync(path, Dfs.Token)).Length);
        Assert.Contains("pending.bin", await Dfs.ListNamesAsync(other, directory));
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(other, path), path);
    }

    [Fact]
    public async Task Namespace_operations_are_reflected_in_listing_and_summary()
    {
        var root = UniquePath("ns");
        await Client.MkdirsAsync(root + "/a/b", createParent: true, Dfs.Token);
        await Dfs.WriteAsync(Client, root + "/a/b/one", Random(1000, 1));
        await Dfs.WriteAsync(Client, root + "/a/two", Random(2000, 2));

        var summary = await Client.GetContentSummaryAsync(root, Dfs.Token);
        Assert.Equal(3000, summary.Length);
        Assert.Equal(2, summary.FileCount);
        Assert.Equal(3000 * PyHdfsCluster.Replication, summary.SpaceConsumed);

        await Client.RenameAsync(root + "/a/two", root + "/a/b/three", Dfs.Token);
        Assert.Equal(["one", "three"], await Dfs.ListNamesAsync(Client, root + "/a/b"));
        Assert.Equal(["b"], await Dfs.ListNamesAsync(Client, root + "/a"));

        var deleted = await Client.DeleteAsync(root + "/a", recursive: true, Dfs.Token);
        Assert.Equal(2, deleted.FilesDeleted);
        Assert.Empty(await Dfs.ListNamesAsync(Client, root));

        var stats = await Client.GetFsStatsAsync(Dfs.Token);
        Assert.Equal(cluster.Options.DataNodes, stats.LiveDataNodes);
        Assert.True(stats.CapacityBytes > 0);
    }
}
