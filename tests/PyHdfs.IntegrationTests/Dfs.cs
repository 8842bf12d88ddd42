using PyHdfs.Client;

namespace PyHdfs.IntegrationTests;

/// <summary>Small helpers over the client API shared by the tests.</summary>
internal static class Dfs
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task WriteAsync(DfsClient client, string path, byte[] data, DfsCreateOptions? options = null)
    {
        var output = await client.CreateAsync(path, options ?? new DfsCreateOptions(), Token);
        await using (output)
        {
            // Uneven writes exercise packet and chunk boundaries that do not line up with the caller's buffers.
            var offset = 0;
            var step = 1;
            while (offset < data.Length)
            {
                var count = Math.Min(step, data.Length - offset);
                await output.WriteAsync(data.AsMemory(offset, count), Token);
                offset += count;
                step = step * 7 % 300_007 + 1;
            }
            await output.CloseAsync(Token);
        }
    }

    public static async Task<byte[]> ReadAllAsync(DfsClient client, string path)
    {
        await using var input = await client.OpenAsync(path, Token);
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, Token);
        return copy.ToArray();
    }

    public static async Task<List<string>> ListNamesAsync(DfsClient client, string path)
    {
        var names = new List<string>();
        await foreach (var entry in client.ListAsync(path, Token))
        {
            names.Add(entry.Name);
        }
        return names;
    }

    /// <summary>Byte-for-byte equality that reports the first difference instead of dumping megabytes.</summary>
    public static void AssertSameBytes(byte[] expected, byte[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        var mismatch = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(mismatch == expected.Length, $"{what}: first differing byte at offset {mismatch}");
    }

    public static async Task<DfsIOException> AssertFailsAsync(Func<Task> action, PyHdfs.Protocol.ErrorKind kind)
    {
        var error = await Assert.ThrowsAsync<DfsIOException>(action);
        Assert.True(error.Kind == kind, $"expected {kind}, got {error.Kind}: {error.Message}");
        return error;
    }
}
