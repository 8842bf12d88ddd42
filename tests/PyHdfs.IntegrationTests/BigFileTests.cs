using System.Security.Cryptography;

namespace PyHdfs.IntegrationTests;

/// <summary>One DataNode, replication 1: room for a large file on one machine.</summary>
public sealed class SingleDataNodeCluster : PyHdfsCluster
{
    protected override void Configure(ClusterOptions options)
    {
        options.DataNodes = 1;
        options.Replication = 1;
    }
}

/// <summary>The CLI streams: a 1 GiB put and get never hold the file in memory.</summary>
public sealed class BigFileTests(SingleDataNodeCluster cluster, ITestOutputHelper output) : IClassFixture<SingleDataNodeCluster>
{
    private const long FileBytes = 1L << 30;
    private const long PeakRssLimitBytes = 256L << 20;

    [Fact]
    public async Task A_1_GiB_put_and_get_through_the_cli_stay_well_under_the_file_size_in_memory()
    {
        var local = cluster.LocalPath("big.bin");
        var expectedHash = await WriteRandomFileAsync(local, FileBytes);
        var remote = TestData.UniquePath("big") + ".bin";
        var timeout = TimeSpan.FromMinutes(8);

        var put = await CliRunner.RunAsync(cluster.NameNodeAddress, null, ["put", "-r", "1", "--block-size", "64M", local, remote],
            cluster.LocalDirectory, timeout);
        Assert.True(put.ExitCode == 0, put.ToString());
        File.Delete(local);
        Assert.Equal(FileBytes, (await cluster.Client.GetFileStatusAsync(remote, Dfs.Token)).Length);

        var copy = cluster.LocalPath("big.copy");
        var get = await CliRunner.RunAsync(cluster.NameNodeAddress, null, ["get", remote, copy], cluster.LocalDirectory, timeout);
        Assert.True(get.ExitCode == 0, get.ToString());

        output.WriteLine($"pyhdfs put 1 GiB: peak RSS {put.PeakRssBytes / (1 << 20)} MiB");
        output.WriteLine($"pyhdfs get 1 GiB: peak RSS {get.PeakRssBytes / (1 << 20)} MiB");
        Assert.Equal(FileBytes, new FileInfo(copy).Length);
        Assert.Equal(expectedHash, await HashFileAsync(copy));
        File.Delete(copy);
        Assert.InRange(put.PeakRssBytes, 1, PeakRssLimitBytes);
        Assert.InRange(get.PeakRssBytes, 1, PeakRssLimitBytes);
    }

    private static async Task<string> WriteRandomFileAsync(string path, long length)
    {
        var random = new Random(61);
        var buffer = new byte[1 << 20];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        for (long written = 0; written < length; written += buffer.Length)
        {
            random.NextBytes(buffer);
            hash.AppendData(buffer);
            await file.WriteAsync(buffer, Dfs.Token);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<string> HashFileAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexString(await SHA256.HashDataAsync(file, Dfs.Token));
    }
}
