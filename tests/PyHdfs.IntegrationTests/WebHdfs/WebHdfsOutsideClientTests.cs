using System.Text.Json;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>
/// Clients written elsewhere, unmodified, against a real cluster: Debian's python3-fsspec, the npm webhdfs package and
/// curl -L. What each writes, <c>pyhdfs get</c> reads back byte for byte, and what <c>pyhdfs put</c> wrote, each reads.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class WebHdfsOutsideClientTests(PyHdfsCluster cluster)
{
    private static readonly string SuperUser = Environment.UserName;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private Uri WebHdfs => cluster.Endpoint("namenode", "webhdfs");

    private async Task<byte[]> PyhdfsGetAsync(string remote)
    {
        var local = cluster.LocalPath("get-" + Guid.NewGuid().ToString("N"));
        var result = await cluster.RunCliAsync("get", remote, local);
        Assert.True(result.ExitCode == 0, result.ToString());
        return await File.ReadAllBytesAsync(local, Dfs.Token);
    }

    [Fact]
    public async Task Fsspec_lists_puts_gets_cats_moves_sizes_and_removes_a_multi_block_file()
    {
        var root = UniquePath("wh-fsspec");
        var local = Path.Combine(cluster.LocalDirectory, root.TrimStart('/'));
        Directory.CreateDirectory(local);
        var data = Random(5 * MiB / 2 + 17, seed: 21);
        await File.WriteAllBytesAsync(Path.Combine(local, "in.bin"), data, Dfs.Token);
        var foreign = Random(MiB + 5, seed: 22);
        var foreignLocal = Path.Combine(local, "foreign.bin");
        await File.WriteAllBytesAsync(foreignLocal, foreign, Dfs.Token);
        Assert.Equal(0, (await cluster.RunCliAsync("put", foreignLocal, root + "-foreign.bin")).ExitCode);

        var output = await OutsideClient.RunAsync(OutsideClient.Python,
            [Path.Combine(OutsideClient.Directory, "fsspec_tour.py"), WebHdfs.Host, WebHdfs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SuperUser, root, local, root + "-foreign.bin", Sha256(foreign)], Timeout);
        var seen = JsonDocument.Parse(output).RootElement;

        Assert.Equal(["b", "big.bin"], seen.GetProperty("ls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("file", seen.GetProperty("info").GetProperty("type").GetString());
        Assert.Equal(data.Length, seen.GetProperty("info").GetProperty("size").GetInt64());
        Assert.True(seen.GetProperty("isdir").GetBoolean());
        Assert.True(seen.GetProperty("cat_ok").GetBoolean());
        Assert.True(seen.GetProperty("range_ok").GetBoolean());
        Assert.True(seen.GetProperty("get_ok").GetBoolean());
        Assert.True(seen.GetProperty("moved_exists").GetBoolean());
        Assert.False(seen.GetProperty("old_exists").GetBoolean());
        Assert.Equal(data.Length + 18, seen.GetProperty("du").GetInt64());
        Assert.Equal(data.Length + 18, seen.GetProperty("content_summary").GetInt64());
        Assert.Equal(["a", "moved.bin"], seen.GetProperty("after_rm").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/user/" + SuperUser, seen.GetProperty("home").GetString());
        Assert.Equal("FileNotFoundError", seen.GetProperty("missing").GetString());
        Assert.True(seen.GetProperty("foreign_ok").GetBoolean());

        Dfs.AssertSameBytes(data, await PyhdfsGetAsync(root + "/moved.bin"), "pyhdfs get of what fsspec put");
        Assert.Equal(3, (await cluster.Client.GetFileStatusAsync(root + "/moved.bin", Dfs.Token)).BlockCount);
    }

    [Fact]
    public async Task Npm_webhdfs_makes_writes_reads_lists_renames_and_unlinks()
    {
        var root = UniquePath("wh-npm");
        var output = await OutsideClient.RunAsync("node",
            [Path.Combine(OutsideClient.Directory, "npm_tour.js"), WebHdfs.Host, WebHdfs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SuperUser, root], Timeout);
        var seen = JsonDocument.Parse(output).RootElement;

        Assert.True(seen.GetProperty("readBack").GetBoolean());
        Assert.Equal(["hello.txt"], seen.GetProperty("readdir").EnumerateArray().Select(e => e.GetString()));
        var length = seen.GetProperty("expectedLength").GetInt32();
        Assert.Equal(length, seen.GetProperty("stat").GetInt32());
        Assert.Empty(seen.GetProperty("afterUnlink").EnumerateArray());
        Assert.StartsWith("File does not exist: ", seen.GetProperty("missing").GetString(), StringComparison.Ordinal);

        var written = await PyhdfsGetAsync(root + "/renamed.txt");
        Assert.Equal(length, written.Length);
        Assert.StartsWith("written by npm webhdfs 1.2.0 ü\n", System.Text.Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_follows_the_redirects_both_ways()
    {
        var path = UniquePath("wh-curl");
        var data = Random(2 * MiB + 3, seed: 23);
        var local = cluster.LocalPath(path.TrimStart('/'));
        await File.WriteAllBytesAsync(local, data, Dfs.Token);
        var url = $"{WebHdfs.ToString().TrimEnd('/')}/webhdfs/v1{path}";

        await OutsideClient.RunAsync("curl", ["-sS", "-f", "-L", "-X", "PUT", "-T", local, $"{url}?op=CREATE&user.name={SuperUser}&overwrite=true"], Timeout);
        Dfs.AssertSameBytes(data, await PyhdfsGetAsync(path), "pyhdfs get of what curl put");

        var copy = local + ".copy";
        await OutsideClient.RunAsync("curl", ["-sS", "-f", "-L", "-o", copy, $"{url}?op=OPEN&user.name={SuperUser}"], Timeout);
        Dfs.AssertSameBytes(data, await File.ReadAllBytesAsync(copy, Dfs.Token), "curl -L OPEN");

        var status = await OutsideClient.RunAsync("curl", ["-sS", $"{url}?op=GETFILESTATUS"], Timeout);
        Assert.Equal(data.Length, JsonDocument.Parse(status).RootElement.GetProperty("FileStatus").GetProperty("length").GetInt64());
    }
}
