using PyHdfs.Client;
using PyHdfs.Client.Read;
using PyHdfs.DataNode.Storage;
using PyHdfs.Protocol;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.Failures;

/// <summary>Four DataNodes, replication 3: a put keeps going with two when a node of its pipeline is killed.</summary>
public sealed class PipelineRecoveryCluster : PyHdfsCluster
{
    public const int Factor = 3;

    protected override void Configure(ClusterOptions options)
    {
        options.DataNodes = 4;
        options.Replication = Factor;
        options.ServiceSettings["Registry__DataNodeTtlMs"] = "2000";
        options.ServiceSettings["NameNode__ReplicationCheckIntervalMs"] = "500";
        options.ServiceSettings["NameNode__ReplicationPendingTimeoutMs"] = "10000";
    }
}

/// <summary>
/// kill -9 of a DataNode of the current write pipeline, at the first packet, in the middle of a block and at a
/// block boundary: the put completes through the survivors (pipeline recovery), the file reads back identical
/// from every location, no replica of an older generation stamp is served, and the factor comes back.
/// </summary>
public sealed class PipelineRecoveryTests(PipelineRecoveryCluster cluster) : IClassFixture<PipelineRecoveryCluster>
{
    private const int Step = 64 * KiB;
    private static readonly long BlockSize = PyHdfsCluster.BlockSizeBytes;

    [Fact]
    public async Task Killing_the_first_node_right_after_the_first_packet_does_not_fail_the_put()
    {
        await PutKillingAsync(seed: 301, killAt: cluster.Client.Options.PacketSizeBytes, onBlockEnd: false, victimOf: p => p[0]);
    }

    [Fact]
    public async Task Killing_the_middle_node_in_the_middle_of_a_block_does_not_fail_the_put()
    {
        await PutKillingAsync(seed: 302, killAt: BlockSize + (BlockSize / 2), onBlockEnd: false, victimOf: p => p[1]);
    }

    [Fact]
    public async Task Killing_the_last_node_at_a_block_boundary_does_not_fail_the_put()
    {
        await PutKillingAsync(seed: 303, killAt: 2 * BlockSize, onBlockEnd: true, victimOf: p => p[^1]);
    }

    /// <summary>
    /// Writes 5.5 MiB; once <paramref name="killAt"/> bytes of the file are acknowledged by the pipeline (or, with
    /// <paramref name="onBlockEnd"/>, when the block ending there is about to send its last packet), kills a node of it.
    /// </summary>
    private async Task PutKillingAsync(int seed, long killAt, bool onBlockEnd, Func<IReadOnlyList<string>, string> victimOf)
    {
        await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
        var path = UniquePath("pipeline") + "/file.bin";
        var data = Random((5 * MiB) + (MiB / 2), seed);
        string? victim = null;
        try
        {
            var output = await cluster.Client.CreateAsync(path, new DfsCreateOptions { Replication = PipelineRecoveryCluster.Factor }, Dfs.Token);
            await using (output)
            {
                if (onBlockEnd)
                {
                    output.BeforeBlockEnd = async stream =>
                    {
                        if (victim is null && killAt % BlockSize == 0 && stream.Position == killAt)
                        {
                            await stream.WaitForAckedBytesAsync(BlockSize, Dfs.Token);
                            victim = await KillAsync(stream, victimOf);
                        }
                    };
                }
                for (var offset = 0; offset < data.Length; offset += Step)
                {
                    await output.WriteAsync(data.AsMemory(offset, Math.Min(Step, data.Length - offset)), Dfs.Token);
                    if (!onBlockEnd && victim is null && offset + Step == killAt)
                    {
                        await output.WaitForAckedBytesAsync(((killAt - 1) % BlockSize) + 1, Dfs.Token);
                        victim = await KillAsync(output, victimOf);
                    }
                }
                await output.CloseAsync(Dfs.Token);
                Assert.NotNull(victim);
                Assert.True(output.PipelineRecoveries >= 1, "the put should have rebuilt its pipeline");
            }

            Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
            await AssertEveryServedReplicaIsCurrentAsync(path, data, victim!);
            await Eventually.WaitUntilAsync(async () => (await Replicas.BlocksAsync(cluster, path)).All(b => b.Locations.Count == PipelineRecoveryCluster.Factor),
                Replicas.Deadline, $"every block of {path} back at {PipelineRecoveryCluster.Factor} replicas", TimeSpan.FromMilliseconds(200));
            await AssertEveryServedReplicaIsCurrentAsync(path, data, victim!);
        }
        finally
        {
            if (victim is not null)
            {
                await cluster.StartAsync(victim);
                await cluster.WaitForLiveDataNodesAsync(cluster.Options.DataNodes);
            }
        }
    }

    private async Task<string> KillAsync(DfsOutputStream output, Func<IReadOnlyList<string>, string> victimOf)
    {
        var pipeline = output.CurrentPipeline;
        Assert.Equal(PipelineRecoveryCluster.Factor, pipeline.Count);
        var victim = victimOf(pipeline);
        await cluster.KillAsync(victim);
        return victim;
    }

    /// <summary>
    /// Reads every block from every DataNode still running, asking for the NameNode's generation stamp: a node
    /// either serves exactly the file's bytes from a replica of that stamp, or refuses (it has none, or only a stale one).
    /// </summary>
    private async Task AssertEveryServedReplicaIsCurrentAsync(string path, byte[] data, string victim)
    {
        var blocks = await Replicas.BlocksAsync(cluster, path);
        var tokens = await Replicas.ReadTokensAsync(cluster, path);
        var reports = await cluster.Client.GetDataNodeReportAsync(Dfs.Token);
        foreach (var block in blocks)
        {
            var expected = data.AsSpan((int)block.Offset, (int)block.Length).ToArray();
            var reference = new BlockRef { BlockId = block.BlockId, GenerationStamp = block.GenerationStamp, NumBytes = block.Length };
            var served = 0;
            foreach (var node in reports.Where(r => r.Live && r.Node.Id != victim))
            {
                var onDisk = ReplicaInspector.FindReplica(Replicas.DirectoryOf(cluster, node.Node.Id), block.BlockId);
                byte[]? read;
                try
                {
                    read = await ReadFromAsync(reference, tokens[block.BlockId], node);
                }
                catch (DfsIOException) when (onDisk is null || onDisk.GenerationStamp < block.GenerationStamp)
                {
                    continue;
                }
                catch (IOException) when (onDisk is null || onDisk.GenerationStamp < block.GenerationStamp)
                {
                    continue;
                }
                Assert.True(onDisk is not null && onDisk.GenerationStamp >= block.GenerationStamp,
                    $"{node.Node.Id} served {block.Name} (stamp {block.GenerationStamp}) from a replica with stamp {onDisk?.GenerationStamp}");
                Dfs.AssertSameBytes(expected, read, $"{block.Name} of {path} read from {node.Node.Id}");
                served++;
            }
            Assert.True(served >= block.Locations.Count(l => l.Id != victim), $"{block.Name}: {served} nodes served it, the NameNode locates it on [{string.Join(",", block.Locations.Select(l => l.Id))}]");
        }
    }

    private static async Task<byte[]> ReadFromAsync(BlockRef block, byte[] accessToken, DfsDataNodeReport node)
    {
        var address = new DataNodeAddress { Id = node.Node.Id, Host = node.Node.Host, DataPort = node.Node.DataPort };
        await using var reader = await BlockReader.OpenAsync(block, address, accessToken, 0, block.NumBytes, "pipeline-recovery-test",
            TimeSpan.FromSeconds(10), trust: null, Dfs.Token);
        var buffer = new byte[block.NumBytes];
        var total = 0;
        while (total < buffer.Length)
        {
            var count = await reader.ReadAsync(buffer.AsMemory(total), Dfs.Token);
            if (count == 0)
            {
                break;
            }
            total += count;
        }
        return buffer[..total];
    }
}
