namespace PyHdfs.Client.Tests;

[CollectionDefinition(nameof(WriteMemoryTests), DisableParallelization = true)]
public sealed class WriteMemoryCollection;

/// <summary>The write path allocates about window x packet size, not file size.</summary>
[Collection(nameof(WriteMemoryTests))]
public sealed class WriteMemoryTests
{
    [Fact]
    public async Task Writing_256_MiB_allocates_a_bounded_amount()
    {
        var storage = new FakeStorage();
        await using var node = new FakeDataNode("dn1", storage) { DiscardData = true };
        var options = new DfsClientOptions { NameNodes = [new Uri("http://127.0.0.1:1")], ClientName = "memory-test" };
        var chunk = new byte[1 << 20];
        new Random(3).NextBytes(chunk);
        const long total = 256L << 20;

        // Warm up (JIT, socket buffers) so that the measurement is about the steady state.
        await WriteAsync(node, options, chunk, 8L << 20);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await WriteAsync(node, options, chunk, total);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(allocated < 32L << 20, $"writing {total >> 20} MiB allocated {allocated >> 20} MiB");
        Assert.Empty(node.Errors);
    }

    private static async Task WriteAsync(FakeDataNode node, DfsClientOptions options, byte[] chunk, long total)
    {
        var nameNode = new FakeNameNode("/big", [node], 1);
        var stream = new DfsOutputStream("/big", 64L << 20, 1, nameNode, options, null, null);
        for (long written = 0; written < total; written += chunk.Length)
        {
            await stream.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }
        await stream.CloseAsync(TestContext.Current.CancellationToken);
        Assert.Equal(total, nameNode.Length);
    }
}
