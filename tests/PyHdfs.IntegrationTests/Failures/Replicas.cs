using Grpc.Net.Client;
using PyHdfs.Client;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Failures;

/// <summary>Replica checks at the source of truth: the DataNodes' data directories.</summary>
internal static class Replicas
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Names of the DataNodes whose disk holds a replica of the block that passes its checksums.</summary>
    public static List<string> GoodHolders(PyHdfsCluster cluster, long blockId) =>
        cluster.DataNodeNames.Where((_, i) => ReplicaInspector.FindReplica(cluster.DataNodeDirectories[i], blockId) is { } r
            && ReplicaInspector.VerifyChecksums(r)).ToList();

    public static string DirectoryOf(PyHdfsCluster cluster, string dataNode) =>
        cluster.DataNodeDirectories[cluster.DataNodeNames.ToList().IndexOf(dataNode)];

    /// <summary>The READ token the NameNode hands out with each block of the file: DataNodes serve no block without one.</summary>
    public static async Task<Dictionary<long, byte[]>> ReadTokensAsync(PyHdfsCluster cluster, string path)
    {
        using var channel = GrpcChannel.ForAddress(cluster.NameNodeAddress);
        var located = await new ClientProtocol.ClientProtocolClient(channel)
            .GetBlockLocationsAsync(new GetBlockLocationsRequest { Path = path }, cancellationToken: Dfs.Token);
        return located.Blocks.ToDictionary(b => b.Block.BlockId, b => b.AccessToken.ToByteArray());
    }

    public static async Task<IReadOnlyList<DfsLocatedBlock>> BlocksAsync(PyHdfsCluster cluster, string path) =>
        await cluster.Client.GetBlockLocationsAsync(path, cancellationToken: Dfs.Token);

    /// <summary>Waits until every block of every file has exactly <paramref name="factor"/> good replicas on disk, and the NameNode agrees.</summary>
    public static async Task WaitForFactorAsync(PyHdfsCluster cluster, IEnumerable<string> paths, int factor, string why)
    {
        foreach (var path in paths)
        {
            foreach (var block in await BlocksAsync(cluster, path))
            {
                await Eventually.WaitUntilAsync(() => GoodHolders(cluster, block.BlockId).Count == factor, Deadline,
                    $"{block.Name} of {path} at exactly {factor} good replicas on disk ({why})");
            }
            await Eventually.WaitUntilAsync(async () => (await BlocksAsync(cluster, path)).All(b => b.Locations.Count == factor && !b.Corrupt),
                Deadline, $"the NameNode to locate {factor} replicas of every block of {path} ({why})", TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>The DataNode holding the most replicas of the blocks of these files.</summary>
    public static async Task<string> BusiestHolderAsync(PyHdfsCluster cluster, IEnumerable<string> paths)
    {
        var counts = new Dictionary<string, int>();
        foreach (var path in paths)
        {
            foreach (var block in await BlocksAsync(cluster, path))
            {
                foreach (var node in block.Locations)
                {
                    counts[node.Id] = counts.GetValueOrDefault(node.Id) + 1;
                }
            }
        }
        return counts.MaxBy(c => c.Value).Key;
    }

    /// <summary>Bytes of finalized replica data under a DataNode's data directory (what it reports as used).</summary>
    public static long DiskUsed(string dataDir)
    {
        var finalized = Path.Combine(dataDir, "current", "finalized");
        return Directory.Exists(finalized)
            ? Directory.EnumerateFiles(finalized, "blk_*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".meta", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length)
            : 0;
    }

    /// <summary>Flips one byte in the middle of the replica's data file (its checksums stay as they were).</summary>
    public static void Corrupt(ReplicaFiles replica)
    {
        using (var file = new FileStream(replica.DataPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            var offset = replica.Length / 2;
            file.Position = offset;
            var value = file.ReadByte();
            file.Position = offset;
            file.WriteByte((byte)(value ^ 0xFF));
            file.Flush(flushToDisk: true);
        }
        Assert.False(ReplicaInspector.VerifyChecksums(replica), $"{replica.DataPath} should fail its checksums now");
    }
}
