using System.Net;
using System.Text.Json;
using PyHdfs.Protocol;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>The NameNode's WebHDFS ops answered directly, over HTTP against a real cluster: Hadoop's JSON shapes and errors.</summary>
[Collection(StandardCluster.Name)]
public sealed class WebHdfsMetadataTests(PyHdfsCluster cluster) : IDisposable
{
    /// <summary>The NameNode runs as this OS user: its superuser.</summary>
    private static readonly string SuperUser = Environment.UserName;

    private readonly WebHdfsHttp _http = new(cluster);

    public void Dispose() => _http.Dispose();

    private static readonly string[] FileStatusKeys =
        ["accessTime", "blockSize", "childrenNum", "fileId", "group", "length", "modificationTime", "owner", "pathSuffix", "permission",
            "replication", "storagePolicy", "type"];

    [Fact]
    public async Task Getfilestatus_has_every_Hadoop_key_with_an_octal_permission()
    {
        var dir = UniquePath("wh-stat");
        var data = Random(3 * MiB / 2, seed: 1);
        await Dfs.WriteAsync(cluster.Client, dir + "/f.bin", data);

        var file = (await _http.GetJsonAsync(dir + "/f.bin", $"op=GETFILESTATUS&user.name={SuperUser}")).GetProperty("FileStatus");
        Assert.Equal(FileStatusKeys, file.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("FILE", file.GetProperty("type").GetString());
        Assert.Equal(data.Length, file.GetProperty("length").GetInt64());
        Assert.Equal(PyHdfsCluster.BlockSizeBytes, file.GetProperty("blockSize").GetInt64());
        Assert.Equal(PyHdfsCluster.Replication, file.GetProperty("replication").GetInt32());
        Assert.Equal("644", file.GetProperty("permission").GetString());
        Assert.Equal("", file.GetProperty("pathSuffix").GetString());
        Assert.Equal(SuperUser, file.GetProperty("owner").GetString());
        Assert.True(file.GetProperty("fileId").GetInt64() > 1);
        Assert.InRange(file.GetProperty("modificationTime").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(),
            DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        var directory = (await _http.GetJsonAsync(dir, "op=getFileStatus")).GetProperty("FileStatus");
        Assert.Equal("DIRECTORY", directory.GetProperty("type").GetString());
        Assert.Equal(1, directory.GetProperty("childrenNum").GetInt64());
        Assert.Equal(0, directory.GetProperty("length").GetInt64());
    }

    [Fact]
    public async Task Liststatus_is_sorted_and_a_file_lists_as_itself_with_an_empty_suffix()
    {
        var dir = UniquePath("wh-ls");
        foreach (var name in new[] { "b", "a", "c" })
        {
            await Dfs.WriteAsync(cluster.Client, $"{dir}/{name}", Random(10, seed: name[0]));
        }
        await cluster.Client.MkdirsAsync(dir + "/d", cancellationToken: Dfs.Token);

        var listing = (await _http.GetJsonAsync(dir, "op=liststatus&unknown=ignored")).GetProperty("FileStatuses").GetProperty("FileStatus");
        Assert.Equal(["a", "b", "c", "d"], listing.EnumerateArray().Select(e => e.GetProperty("pathSuffix").GetString()));
        Assert.Equal("DIRECTORY", listing[3].GetProperty("type").GetString());
        Assert.All(listing.EnumerateArray(), e => Assert.Equal(FileStatusKeys.Length, e.EnumerateObject().Count()));

        var onFile = (await _http.GetJsonAsync(dir + "/a", "op=LISTSTATUS")).GetProperty("FileStatuses").GetProperty("FileStatus");
        Assert.Equal("", Assert.Single(onFile.EnumerateArray()).GetProperty("pathSuffix").GetString());

        var batch = (await _http.GetJsonAsync(dir, "op=LISTSTATUS_BATCH&startAfter=b")).GetProperty("DirectoryListing");
        Assert.Equal(["c", "d"], batch.GetProperty("partialListing").GetProperty("FileStatuses").GetProperty("FileStatus")
            .EnumerateArray().Select(e => e.GetProperty("pathSuffix").GetString()));
        Assert.Equal(0, batch.GetProperty("remainingEntries").GetInt64());
    }

    [Fact]
    public async Task Missing_paths_unknown_ops_and_bad_parameters_are_RemoteExceptions_with_Hadoops_statuses()
    {
        var missing = UniquePath("wh-missing");
        using (var response = await _http.SendAsync(HttpMethod.Get, missing, "op=GETFILESTATUS"))
        {
            Assert.Equal($"File does not exist: {missing}",
                await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.NotFound, "FileNotFoundException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Get, "/", "op=FROBNICATE"))
        {
            Assert.Equal("Invalid value for webhdfs parameter \"op\": No enum constant org.apache.hadoop.hdfs.web.resources.GetOpParam.Op.FROBNICATE",
                await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "IllegalArgumentException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Get, "/", "op=MKDIRS"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "IllegalArgumentException");
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, "/x", "op=CREATESYMLINK&destination=/y"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "UnsupportedOperationException");
        }
        using (var response = await _http.SendAsync(HttpMethod.Get, "/a:b", "op=GETFILESTATUS"))
        {
            Assert.Contains("/a:b", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "InvalidPathException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Get, "/bad%FF", "op=GETFILESTATUS"))
        {
            Assert.Contains("not UTF-8", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "InvalidPathException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, "/x", "op=MKDIRS&permission=999"))
        {
            Assert.Contains("permission", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "IllegalArgumentException"));
        }
    }

    [Theory]
    [InlineData("/bad%ZZname")]
    [InlineData("/bad%2")]
    [InlineData("/bad%")]
    [InlineData("/dir/%G0")]
    public async Task A_malformed_percent_escape_is_a_400_InvalidPathException_naming_the_path(string rawPath)
    {
        foreach (var (method, op) in new[] { ("GET", "GETFILESTATUS"), ("PUT", "MKDIRS"), ("PUT", "CREATE") })
        {
            var (status, body) = await _http.SendRawAsync(method, $"/webhdfs/v1{rawPath}?op={op}&user.name={SuperUser}");
            Assert.True(status == 400, $"{method} {rawPath} op={op}: expected 400, got {status}: {body}");
            var remote = JsonDocument.Parse(body).RootElement.GetProperty("RemoteException");
            Assert.Equal("InvalidPathException", remote.GetProperty("exception").GetString());
            Assert.Contains(rawPath, remote.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(await Dfs.ListNamesAsync(cluster.Client, "/"), name => name.StartsWith("bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mkdirs_rename_delete_and_setters_change_the_namespace_the_client_library_sees()
    {
        var dir = UniquePath("wh-mut");
        var user = $"user.name={SuperUser}";
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/a/b", $"op=MKDIRS&permission=750&{user}"))
        {
            Assert.True((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        Assert.Equal(0x1E8u, (await cluster.Client.GetFileStatusAsync(dir + "/a/b", Dfs.Token)).Permission);

        await Dfs.WriteAsync(cluster.Client, dir + "/a/f", Random(100, seed: 2));
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/a/f", $"op=RENAME&destination={dir}/g&{user}"))
        {
            Assert.True((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/a/f", $"op=RENAME&destination={dir}/h&{user}"))
        {
            Assert.False((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        Assert.NotNull(await cluster.Client.TryGetFileStatusAsync(dir + "/g", Dfs.Token));

        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/g", $"op=SETPERMISSION&permission=600&{user}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/g", $"op=SETOWNER&owner=alice&group=staff&{user}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/g", $"op=SETREPLICATION&replication=3&{user}"))
        {
            Assert.True((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/g", $"op=SETTIMES&modificationtime=1000000&accesstime=2000000&{user}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var g = await cluster.Client.GetFileStatusAsync(dir + "/g", Dfs.Token);
        Assert.Equal((0x180u, "alice", "staff", 3, 1_000_000L), (g.Permission, g.Owner, g.Group, g.Replication, g.ModificationTime.ToUnixTimeMilliseconds()));
        Assert.Equal(2_000_000L, (await _http.GetJsonAsync(dir + "/g", "op=GETFILESTATUS&" + user)).GetProperty("FileStatus").GetProperty("accessTime").GetInt64());

        using (var response = await _http.SendAsync(HttpMethod.Delete, dir, $"op=DELETE&recursive=false&{user}"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "PathIsNotEmptyDirectoryException");
        }
        using (var response = await _http.SendAsync(HttpMethod.Delete, dir, $"op=DELETE&recursive=true&{user}"))
        {
            Assert.True((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        using (var response = await _http.SendAsync(HttpMethod.Delete, dir, $"op=DELETE&{user}"))
        {
            Assert.False((await WebHdfsHttp.JsonAsync(response, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(dir, Dfs.Token));
    }

    [Fact]
    public async Task Content_summary_block_locations_checksum_and_home_directory()
    {
        var dir = UniquePath("wh-sum");
        var data = Random(2 * MiB + 5, seed: 3);
        await Dfs.WriteAsync(cluster.Client, dir + "/f", data);
        await Dfs.WriteAsync(cluster.Client, dir + "/g", data);

        var summary = (await _http.GetJsonAsync(dir, "op=GETCONTENTSUMMARY")).GetProperty("ContentSummary");
        Assert.Equal((1L, 2L, 2L * data.Length, 2L * data.Length * PyHdfsCluster.Replication, -1L),
            (summary.GetProperty("directoryCount").GetInt64(), summary.GetProperty("fileCount").GetInt64(), summary.GetProperty("length").GetInt64(),
                summary.GetProperty("spaceConsumed").GetInt64(), summary.GetProperty("quota").GetInt64()));

        var blocks = (await _http.GetJsonAsync(dir + "/f", $"op=GETFILEBLOCKLOCATIONS&offset={MiB}&length=10"))
            .GetProperty("BlockLocations").GetProperty("BlockLocation");
        var block = Assert.Single(blocks.EnumerateArray());
        Assert.Equal((MiB, MiB), (block.GetProperty("offset").GetInt64(), block.GetProperty("length").GetInt64()));
        Assert.Equal(PyHdfsCluster.Replication, block.GetProperty("hosts").GetArrayLength());

        // Same content, same block size: the same MD5-of-MD5-of-CRC32, computed on a DataNode.
        var checksums = new List<JsonElement>();
        foreach (var name in new[] { "f", "g" })
        {
            using var redirect = await _http.SendAsync(HttpMethod.Get, $"{dir}/{name}", "op=GETFILECHECKSUM");
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            using var answer = await _http.SendAsync(HttpMethod.Get, redirect.Headers.Location!);
            checksums.Add((await WebHdfsHttp.JsonAsync(answer, HttpStatusCode.OK)).GetProperty("FileChecksum"));
        }
        Assert.Equal($"MD5-of-{PyHdfsCluster.BlockSizeBytes / 512}MD5-of-512CRC32", checksums[0].GetProperty("algorithm").GetString());
        Assert.Equal(28, checksums[0].GetProperty("length").GetInt32());
        Assert.Equal(checksums[0].GetProperty("bytes").GetString(), checksums[1].GetProperty("bytes").GetString());

        Assert.Equal("/user/alice", (await _http.GetJsonAsync("", "op=GETHOMEDIRECTORY&user.name=alice")).GetProperty("Path").GetString());
        Assert.Equal("/user/nobody", (await _http.GetJsonAsync("/", "op=GETHOMEDIRECTORY")).GetProperty("Path").GetString());
    }

    [Fact]
    public async Task A_fresh_cluster_has_a_sticky_world_writable_tmp_and_the_superusers_home()
    {
        var tmp = (await _http.GetJsonAsync("/tmp", "op=GETFILESTATUS")).GetProperty("FileStatus");
        Assert.Equal("1777", tmp.GetProperty("permission").GetString());
        var home = (await _http.GetJsonAsync("/user/" + SuperUser, "op=GETFILESTATUS")).GetProperty("FileStatus");
        Assert.Equal(SuperUser, home.GetProperty("owner").GetString());
        Assert.Equal("DIRECTORY", home.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Users_are_checked_against_permissions_and_only_the_superuser_may_doas()
    {
        var dir = UniquePath("wh-perm");
        await cluster.Client.MkdirsAsync(dir, cancellationToken: Dfs.Token);
        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/x", "op=MKDIRS&user.name=alice"))
        {
            Assert.Contains("user=alice", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "AccessControlException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, "/tmp/" + dir.TrimStart('/'), "op=MKDIRS&user.name=alice"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("alice", (await cluster.Client.GetFileStatusAsync("/tmp/" + dir.TrimStart('/'), Dfs.Token)).Owner);

        using (var response = await _http.SendAsync(HttpMethod.Put, dir + "/y", "op=MKDIRS&user.name=alice&doas=" + SuperUser))
        {
            Assert.Contains("not allowed to impersonate", await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "AccessControlException"));
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, "/tmp/" + dir.TrimStart('/') + "-bob", $"op=MKDIRS&user.name={SuperUser}&doas=bob"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("bob", (await cluster.Client.GetFileStatusAsync("/tmp/" + dir.TrimStart('/') + "-bob", Dfs.Token)).Owner);
    }

    [Fact]
    public async Task Unicode_and_percent_encoded_names_round_trip()
    {
        var dir = UniquePath("wh-names");
        var names = new[] { "ü ñ 日本", "a+b", "100%", "semi;colon" };
        foreach (var name in names)
        {
            using var response = await _http.SendAsync(HttpMethod.Put, dir + "/" + Uri.EscapeDataString(name), $"op=MKDIRS&user.name={SuperUser}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(names.Order(StringComparer.Ordinal), await Dfs.ListNamesAsync(cluster.Client, dir));
        var listed = (await _http.GetJsonAsync(dir, "op=LISTSTATUS")).GetProperty("FileStatuses").GetProperty("FileStatus");
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.EnumerateArray().Select(e => e.GetProperty("pathSuffix").GetString()));
    }
}
