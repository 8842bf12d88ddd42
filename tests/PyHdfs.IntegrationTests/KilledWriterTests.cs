using System.Diagnostics;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests;

/// <summary>A cluster whose writer leases expire within a test's deadline.</summary>
public sealed class ShortLeaseCluster : PyHdfsCluster
{
    public const int LeaseHardLimitMs = 5000;

    protected override void Configure(ClusterOptions options)
    {
        options.ServiceSettings["NameNode__LeaseSoftLimitMs"] = "1000";
        options.ServiceSettings["NameNode__LeaseHardLimitMs"] = LeaseHardLimitMs.ToString();
        options.ServiceSettings["DataNode__AbandonedReplicaTtlMs"] = "4000";
    }
}

/// <summary>A writer killed with SIGKILL mid-file leaves nothing visible, and its lease expires.</summary>
public sealed class KilledWriterTests(ShortLeaseCluster cluster) : IClassFixture<ShortLeaseCluster>
{
    [Fact]
    public async Task A_killed_put_leaves_no_file_its_replicas_are_collected_and_the_path_is_writable_after_the_lease_hard_limit()
    {
        var directory = UniquePath("killed");
        await cluster.Client.MkdirsAsync(directory, createParent: true, Dfs.Token);
        var remote = directory + "/partial.bin";
        using var writer = CliRunner.Start(cluster.NameNodeAddress, ["put", "-", remote], cluster.LocalDirectory, redirectStdin: true);
        writer.OutputDataReceived += (_, _) => { };
        writer.ErrorDataReceived += (_, _) => { };
        writer.BeginOutputReadLine();
        writer.BeginErrorReadLine();
        try
        {
            // Feed the writer until replicas of its first blocks are on the DataNodes' disks: it is mid-file.
            var chunk = Random(256 * KiB, seed: 31);
            var stdin = writer.StandardInput.BaseStream;
            await Eventually.WaitUntilAsync(async () =>
            {
                Assert.False(writer.HasExited, "the writer exited before it was killed");
                await stdin.WriteAsync(chunk, Dfs.Token);
                await stdin.FlushAsync(Dfs.Token);
                return ReplicaFilesOnDisk() > 0;
            }, TimeSpan.FromSeconds(60), "the writer's first replicas on disk", TimeSpan.FromMilliseconds(10));
        }
        finally
        {
            writer.Kill(entireProcessTree: true);
            await writer.WaitForExitAsync(Dfs.Token);
        }
        var killedAt = Stopwatch.StartNew();
        var abandonedBlockIds = BlockIdsOnDisk();
        Assert.NotEmpty(abandonedBlockIds);

        Assert.Null(await cluster.Client.TryGetFileStatusAsync(remote, Dfs.Token));
        Assert.DoesNotContain("partial.bin", await Dfs.ListNamesAsync(cluster.Client, directory));
        await Dfs.AssertFailsAsync(() => cluster.Client.OpenAsync(remote, Dfs.Token), PyHdfs.Protocol.ErrorKind.FileNotFound);

        var replacement = Random(MiB + 3, seed: 32);
        await Eventually.WaitUntilAsync(async () => (await cluster.RunCliAsync(replacement, "put", "-", remote)).ExitCode == 0,
            TimeSpan.FromSeconds(60), "a new put to the path of the killed writer", TimeSpan.FromMilliseconds(500));

        Dfs.AssertSameBytes(replacement, await Dfs.ReadAllAsync(cluster.Client, remote), remote);
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(60));

        // Finalized replicas go through the NameNode's delete commands once the lease expired;
        // the in-progress replica of the last block through the DataNodes' abandoned-replica sweep.
        await Eventually.WaitUntilAsync(() => !BlockIdsOnDisk().Overlaps(abandonedBlockIds), TimeSpan.FromSeconds(60),
            $"the killed writer's replicas ({string.Join(", ", abandonedBlockIds.Order().Select(id => "blk_" + id))}) to leave every DataNode's disk");
    }

    private HashSet<long> BlockIdsOnDisk() =>
        cluster.DataNodeDirectories.Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "blk_*", SearchOption.AllDirectories))
            .Select(path => Path.GetFileName(path).Split('_', '.')[1])
            .Select(long.Parse)
            .ToHashSet();

    private int ReplicaFilesOnDisk() =>
        cluster.DataNodeDirectories.Where(Directory.Exists)
            .Sum(dir => Directory.EnumerateFiles(dir, "blk_*", SearchOption.AllDirectories).Count());
}
