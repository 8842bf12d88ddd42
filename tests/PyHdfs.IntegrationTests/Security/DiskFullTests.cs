using PyHdfs.Client;
using PyHdfs.DataNode.Storage;
using PyHdfs.IntegrationTests.Failures;
using PyHdfs.Protocol;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// One DataNode's disk (a small tmpfs) fills while a put streams to it: the put completes on the other
/// nodes or fails naming the full disk, what the node stored before stays intact and served, the node keeps
/// running, and no partial replica of the failed write is kept or counted.
/// </summary>
public sealed class DiskFullTests(DiskFullCluster cluster) : IClassFixture<DiskFullCluster>
{
    private const int RoomLeft = 512 * KiB;

    [Fact]
    public async Task A_disk_that_fills_during_a_put_fails_only_the_replicas_that_do_not_fit()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        var full = DiskFullCluster.FullDataNode;
        var fullDirectory = cluster.FullDataNodeDirectory;
        var pid = cluster.PidOf(full);
        var root = UniquePath("diskfull");
        var small = Random(300 * KiB + 11, seed: 951);
        await Dfs.WriteAsync(cluster.Client, root + "/small.bin", small, new DfsCreateOptions { Replication = cluster.Options.DataNodes });
        await Replicas.WaitForFactorAsync(cluster, [root + "/small.bin"], cluster.Options.DataNodes, "stored on every DataNode");
        var smallBlock = Assert.Single(await Replicas.BlocksAsync(cluster, root + "/small.bin"));

        // Another tenant of the disk takes all but a fraction of a block, between two heartbeats: the
        // NameNode still believes the node has room, so the DataNode meets the full disk mid-block.
        Fill(Path.Combine(fullDirectory, "filler.bin"), new DriveInfo(fullDirectory).AvailableFreeSpace - RoomLeft);
        var big = Random(12 * MiB + 123, seed: 952);
        DfsIOException? failure = null;
        try
        {
            await Dfs.WriteAsync(cluster.Client, root + "/big.bin", big, new DfsCreateOptions { Replication = cluster.Options.DataNodes });
        }
        catch (DfsIOException e)
        {
            failure = e;
        }

        var log = string.Join("\n", cluster.Logs.Of(full));
        Assert.True(log.Contains("No space left on device", StringComparison.Ordinal),
            $"{full} never met its full disk (put {(failure is null ? "completed" : "failed: " + failure.Message)}); its log ends:\n{log[Math.Max(0, log.Length - 4000)..]}");
        if (failure is null)
        {
            Dfs.AssertSameBytes(big, await Dfs.ReadAllAsync(cluster.Client, root + "/big.bin"), "big.bin");
            var fsck = await cluster.Client.FsckAsync(root, Dfs.Token);
            Assert.True(fsck.CorruptBlocks == 0 && fsck.MissingBlocks == 0, $"fsck {root}: {fsck.CorruptBlocks} corrupt, {fsck.MissingBlocks} missing blocks");
        }
        else
        {
            Assert.Contains("disk", failure.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", failure.Message, StringComparison.Ordinal);
        }

        // The full node kept running, and what it stored before is intact on its disk and served by it.
        Assert.True(pid is not null && cluster.PidOf(full) == pid, $"{full} stopped or restarted (pid {pid}, now {cluster.PidOf(full)})");
        Assert.True(ReplicaInspector.VerifyChecksums(fullDirectory, smallBlock.BlockId), $"{smallBlock.Name} on {full} no longer matches its checksums");
        var located = await LocateAsync(root + "/small.bin");
        Dfs.AssertSameBytes(small, await RawTransfer.ReadAsync(located.Locations.Single(l => l.Id == full), located.Block, located.AccessToken), $"small.bin read from {full}");
        Dfs.AssertSameBytes(small, await Dfs.ReadAllAsync(cluster.Client, root + "/small.bin"), "small.bin");

        // No partial replica stays on the full node, and it holds exactly the replicas the NameNode counts there.
        await Eventually.WaitUntilAsync(() => !System.IO.Directory.EnumerateFiles(Path.Combine(fullDirectory, "current", "rbw")).Any(),
            TimeSpan.FromSeconds(30), $"no partial replica left in {full}'s rbw");
        await Eventually.WaitUntilAsync(async () => (await CountedOnAsync(full, root)).SetEquals(FinalizedOnDisk(fullDirectory)), TimeSpan.FromSeconds(30),
            $"the replicas on {full}'s disk to be exactly those the NameNode counts there");
        foreach (var id in FinalizedOnDisk(fullDirectory))
        {
            Assert.True(ReplicaInspector.VerifyChecksums(fullDirectory, id), $"blk_{id} on {full} is finalized but does not match its checksums");
        }

        // Its next heartbeat reports the full disk, and the NameNode stops placing blocks there.
        await Eventually.WaitUntilAsync(async () => (await cluster.Client.GetDataNodeReportAsync(Dfs.Token)).Single(n => n.Node.Id == full).RemainingBytes < PyHdfsCluster.BlockSizeBytes,
            TimeSpan.FromSeconds(45), $"{full} to report less than a block of free space", TimeSpan.FromMilliseconds(500));
        var later = Random(2 * MiB + 1, seed: 953);
        await Dfs.WriteAsync(cluster.Client, root + "/later.bin", later, new DfsCreateOptions { Replication = cluster.Options.DataNodes });
        Assert.All(await Replicas.BlocksAsync(cluster, root + "/later.bin"), b => Assert.DoesNotContain(b.Locations, l => l.Id == full));
        Dfs.AssertSameBytes(later, await Dfs.ReadAllAsync(cluster.Client, root + "/later.bin"), "later.bin");
    }

    private async Task<PyHdfs.Protocol.NameNode.LocatedBlock> LocateAsync(string path)
    {
        using var channel = Microsoft.Extensions.Hosting.GrpcChannels.Create(new Uri(cluster.NameNodeAddress), membership: null);
        var namenode = new PyHdfs.Protocol.NameNode.ClientProtocol.ClientProtocolClient(channel);
        var response = await namenode.GetBlockLocationsAsync(new PyHdfs.Protocol.NameNode.GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token);
        return Assert.Single(response.Blocks);
    }

    private async Task<HashSet<long>> CountedOnAsync(string dataNode, string root)
    {
        var counted = new HashSet<long>();
        foreach (var name in await Dfs.ListNamesAsync(cluster.Client, root))
        {
            foreach (var block in await Replicas.BlocksAsync(cluster, $"{root}/{name}"))
            {
                if (block.Locations.Any(l => l.Id == dataNode))
                {
                    counted.Add(block.BlockId);
                }
            }
        }
        return counted;
    }

    private static HashSet<long> FinalizedOnDisk(string dataDirectory) =>
        [.. System.IO.Directory.EnumerateFiles(Path.Combine(dataDirectory, "current", "finalized"), "blk_*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".meta", StringComparison.Ordinal))
            .Select(f => long.Parse(Path.GetFileName(f)["blk_".Length..], System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Writes about <paramref name="bytes"/> bytes (less if the disk fills first).</summary>
    private static void Fill(string path, long bytes)
    {
        var chunk = new byte[MiB];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        try
        {
            for (var left = bytes; left > 0; left -= chunk.Length)
            {
                file.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
            file.Flush();
        }
        catch (IOException)
        {
            // The disk is full: even better.
        }
    }
}
