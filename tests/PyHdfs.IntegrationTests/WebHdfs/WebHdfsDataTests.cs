using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PyHdfs.Testing;
using PyHdfs.Protocol.WebHdfs;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>CREATE, APPEND, OPEN and TRUNCATE: the NameNode's 307 to a DataNode, the DataNode's signed URL, the bytes.</summary>
[Collection(StandardCluster.Name)]
public sealed class WebHdfsDataTests(PyHdfsCluster cluster) : IDisposable
{
    private static readonly string SuperUser = Environment.UserName;

    private readonly WebHdfsHttp _http = new(cluster);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_redirects_to_a_datanode_with_a_signed_url_and_the_bytes_read_back_through_the_client_library()
    {
        var path = UniquePath("wh-create") + "/f.bin";
        var data = Random(3 * MiB + 77, seed: 11);

        using var redirect = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}&overwrite=true&tempdir=/tmp&replication=3");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.NotEqual(new Uri(_http.BaseUrl).Port, location.Port); // a DataNode, not the NameNode
        Assert.Contains("op=CREATE", location.Query, StringComparison.Ordinal);
        Assert.Contains($"user.name={SuperUser}", location.Query, StringComparison.Ordinal);
        Assert.Contains("namenoderpcaddress=", location.Query, StringComparison.Ordinal);
        Assert.Contains("token=", location.Query, StringComparison.Ordinal);

        using (var created = await _http.SendAsync(HttpMethod.Put, location, new StreamContent(new MemoryStream(data))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.EndsWith(path, created.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
        Dfs.AssertSameBytes(data, await Dfs.ReadAllAsync(cluster.Client, path), path);
        Assert.Equal(3, (await cluster.Client.GetFileStatusAsync(path, Dfs.Token)).Replication);

        Dfs.AssertSameBytes(data, await _http.OpenAsync(path, SuperUser), "OPEN " + path);
        Dfs.AssertSameBytes(data.AsSpan(MiB - 3, 10).ToArray(), await _http.OpenAsync(path, SuperUser, $"offset={MiB - 3}&length=10"), "OPEN range");
        Dfs.AssertSameBytes(data.AsSpan(3 * MiB).ToArray(), await _http.OpenAsync(path, SuperUser, $"offset={3 * MiB}"), "OPEN tail");
        Assert.Empty(await _http.OpenAsync(path, SuperUser, $"offset={data.Length}"));
    }

    [Fact]
    public async Task Fsspecs_sequence_empty_put_then_posts_to_the_same_location_with_APPEND_builds_the_file()
    {
        var path = UniquePath("wh-fsspec-seq");
        var parts = new[] { Random(MiB + 3, seed: 1), Random(5, seed: 2), Random(2 * MiB, seed: 3) };

        using var redirect = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}&overwrite=true");
        var location = redirect.Headers.Location!.ToString();
        using (var empty = await _http.SendAsync(HttpMethod.Put, new Uri(location), new ByteArrayContent([])))
        {
            Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        }
        Assert.Equal(0, (await cluster.Client.GetFileStatusAsync(path, Dfs.Token)).Length);
        var append = new Uri(new Regex("CREATE").Replace(location, "APPEND", 1));
        foreach (var part in parts)
        {
            using var appended = await _http.SendAsync(HttpMethod.Post, append, new ByteArrayContent(part));
            Assert.True(appended.StatusCode == HttpStatusCode.OK, await appended.Content.ReadAsStringAsync(Dfs.Token));
        }
        Dfs.AssertSameBytes([.. parts.SelectMany(p => p)], await Dfs.ReadAllAsync(cluster.Client, path), path);

        // A second CREATE of the same Location truncates: the URL's overwrite=true holds.
        using (var again = await _http.SendAsync(HttpMethod.Put, new Uri(location), new ByteArrayContent([])))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }
        Assert.Equal(0, (await cluster.Client.GetFileStatusAsync(path, Dfs.Token)).Length);
    }

    [Fact]
    public async Task Append_through_the_namenode_and_truncate_inside_a_block()
    {
        var path = UniquePath("wh-append");
        var first = Random(MiB + 10, seed: 4);
        var second = Random(100, seed: 5);
        await _http.CreateAsync(path, SuperUser, first);

        using (var redirect = await _http.SendAsync(HttpMethod.Post, path, $"op=APPEND&user.name={SuperUser}"))
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            Assert.Contains("op=APPEND", redirect.Headers.Location!.Query, StringComparison.Ordinal);
            using var appended = await _http.SendAsync(HttpMethod.Post, redirect.Headers.Location!, new ByteArrayContent(second));
            Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        }
        var all = first.Concat(second).ToArray();
        Dfs.AssertSameBytes(all, await Dfs.ReadAllAsync(cluster.Client, path), path);

        using (var truncated = await _http.SendAsync(HttpMethod.Post, path, $"op=TRUNCATE&newlength={MiB + 5}&user.name={SuperUser}"))
        {
            Assert.True((await WebHdfsHttp.JsonAsync(truncated, HttpStatusCode.OK)).GetProperty("boolean").GetBoolean());
        }
        Dfs.AssertSameBytes(all[..(MiB + 5)], await Dfs.ReadAllAsync(cluster.Client, path), path + " truncated");

        using (var missing = await _http.SendAsync(HttpMethod.Post, path + "-missing", $"op=APPEND&user.name={SuperUser}"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(missing, HttpStatusCode.NotFound, "FileNotFoundException");
        }
    }

    [Fact]
    public async Task Create_refuses_an_existing_file_without_overwrite_and_a_directory()
    {
        var path = UniquePath("wh-exists");
        await _http.CreateAsync(path, SuperUser, [1, 2, 3]);
        using (var response = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "FileAlreadyExistsException");
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, "/tmp", $"op=CREATE&user.name={SuperUser}&overwrite=true"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Forbidden, "FileAlreadyExistsException");
        }
        using (var response = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}&overwrite=true&blocksize=1000"))
        {
            await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "IllegalArgumentException");
        }
    }

    [Theory]
    [InlineData("offset=-1")]
    [InlineData("length=-5")]
    [InlineData("offset=99999999999999999999")]
    [InlineData("offset=1000000")]
    public async Task Bad_offsets_are_400(string query)
    {
        var path = UniquePath("wh-offsets");
        await _http.CreateAsync(path, SuperUser, Random(1000, seed: 6));
        using var response = await _http.SendAsync(HttpMethod.Get, path, $"op=OPEN&user.name={SuperUser}&{query}");
        await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.BadRequest, "IllegalArgumentException");
    }

    [Fact]
    public async Task A_forged_changed_or_expired_datanode_url_is_401_and_writes_nothing()
    {
        var path = UniquePath("wh-token");
        using var redirect = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name=alice&overwrite=true");
        var location = redirect.Headers.Location!.ToString();

        var asRoot = location.Replace("user.name=alice", $"user.name={SuperUser}", StringComparison.Ordinal);
        var otherPath = location.Replace(Uri.EscapeDataString(path.TrimStart('/')), "elsewhere", StringComparison.Ordinal);
        var token = new Regex("token=([^&]*)").Match(location).Groups[1].Value;
        var flipped = token[^10] == 'A' ? 'B' : 'A';
        var forged = location.Replace(token, token[..^10] + flipped + token[^9..], StringComparison.Ordinal);
        var expired = new Regex("token=[^&]*").Replace(location, "token=" + WebHdfsRedirectToken.FromClusterSecret(cluster.ClusterSecret)!
            .Issue(WebHdfsRedirectMode.Write, path, "alice", DateTimeOffset.UtcNow.AddSeconds(-1)));
        var readToken = new Regex("token=[^&]*").Replace(location, "token=" + WebHdfsRedirectToken.FromClusterSecret(cluster.ClusterSecret)!
            .Issue(WebHdfsRedirectMode.Read, path, "alice", DateTimeOffset.UtcNow.AddMinutes(5)));
        var none = new Regex("&token=[^&]*").Replace(location, "");
        foreach (var (url, why) in new[] { (asRoot, "another path or user"), (otherPath, "another path or user"), (forged, "signature"), (expired, "expired"),
                     (readToken, "allows Read"), (none, "no token") })
        {
            using var response = await _http.SendAsync(HttpMethod.Put, new Uri(url), new ByteArrayContent([1, 2, 3]));
            Assert.Contains(why, await WebHdfsHttp.AssertRemoteExceptionAsync(response, HttpStatusCode.Unauthorized, "SecurityException"),
                StringComparison.Ordinal);
        }
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(path, Dfs.Token));
        Assert.Null(await cluster.Client.TryGetFileStatusAsync("/elsewhere", Dfs.Token));
    }

    [Fact]
    public async Task A_body_cut_off_midway_leaves_no_file()
    {
        var path = UniquePath("wh-cut");
        using var redirect = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}&overwrite=true");
        var location = redirect.Headers.Location!;
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(location.Host, location.Port, Dfs.Token);
            var stream = tcp.GetStream();
            var head = $"PUT {location.PathAndQuery} HTTP/1.1\r\nHost: {location.Authority}\r\nContent-Length: {4 * MiB}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Dfs.Token);
            await stream.WriteAsync(Random(MiB + 100, seed: 9), Dfs.Token);
            await stream.FlushAsync(Dfs.Token);
        }
        // While the DataNode gives the write up the file is under construction (invisible); afterwards it is gone.
        Assert.Null(await cluster.Client.TryGetFileStatusAsync(path, Dfs.Token));
        await Eventually.WaitUntilAsync(async () =>
        {
            using var retry = await _http.SendAsync(HttpMethod.Put, path, $"op=CREATE&user.name={SuperUser}");
            return retry.StatusCode == HttpStatusCode.TemporaryRedirect
                && (await _http.SendAsync(HttpMethod.Put, retry.Headers.Location!, new ByteArrayContent([7]))).StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), $"{path} to be creatable again (the cut write abandoned)");
        Assert.Equal(1, (await cluster.Client.GetFileStatusAsync(path, Dfs.Token)).Length);
    }
}
