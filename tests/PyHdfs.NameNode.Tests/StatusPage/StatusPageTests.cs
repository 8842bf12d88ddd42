using System.Net;
using PyHdfs.NameNode.Tests.Support;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;

namespace PyHdfs.NameNode.Tests.StatusPage;

/// <summary>The status page over real HTTP/1.1 on the NameNode's "http" endpoint, gRPC on its "grpc" endpoint.</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task Endpoint_protocols_from_configuration_win_over_the_http2_default_and_the_grpc_endpoint_is_advertised()
    {
        await using var host = await StatusPageHost.StartAsync(StatusPageHost.DefaultState());
        await host.WaitUntilActiveAsync();

        using var health = await host.Http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11), (health.StatusCode, health.Version));
        var ha = await host.Client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(host.GrpcAddress.GetLeftPart(UriPartial.Authority), ha.LeaderAddress);

        // The gRPC endpoint stays HTTP/2 only: an HTTP/1.1 request there gets no page.
        using var http1 = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var refused = await Record.ExceptionAsync(async () =>
        {
            using var response = await http1.GetAsync(new Uri(host.GrpcAddress, "/"), TestContext.Current.CancellationToken);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        });
        Assert.True(refused is null or HttpRequestException, $"unexpected: {refused}");
    }

    [Fact]
    public async Task The_overview_shows_the_role_epoch_safe_mode_summary_and_each_datanode()
    {
        await using var host = await StatusPageHost.StartAsync(StatusPageHost.DefaultState());
        await host.WaitUntilActiveAsync();
        await host.RegisterDataNodesAsync();
        await host.WriteFileAsync("/data/f", "bob", 42);

        var (status, html) = await host.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<span id="role" class="role role-active">active</span>""", html);
        Assert.Contains("""<td id="epoch">3</td>""", html);
        Assert.Contains("""<td id="safe-mode"><span class="ok">OFF</span></td>""", html);
        Assert.Contains("""<td class="num" id="live-datanodes">2</td>""", html);
        Assert.Contains("""<td class="num" id="dead-datanodes">0</td>""", html);
        Assert.Contains("""<td class="num" id="files">1</td>""", html);
        Assert.Contains("""<td class="num" id="blocks">1</td>""", html);
        Assert.Contains("""<td class="num" id="under-replicated">0</td>""", html);
        Assert.Contains("""<td class="num" id="missing">0</td>""", html);
        Assert.Contains("Configured capacity</th><td class=\"num\">40 GiB</td>", html);
        Assert.Contains("""<tr data-datanode="dn1"><td>dn1</td>""", html);
        Assert.Contains("""<tr data-datanode="dn2"><td>dn2</td>""", html);
        Assert.Contains("""<p id="dead-nodes-none">None.</p>""", html);
    }

    [Fact]
    public async Task The_browser_lists_directories_shows_a_files_blocks_and_encodes_every_name()
    {
        await using var host = await StatusPageHost.StartAsync(StatusPageHost.DefaultState());
        await host.WaitUntilActiveAsync();
        await host.RegisterDataNodesAsync();
        var block = await host.WriteFileAsync("/data/f", "bob", 42);
        await host.Client.MkdirsAsync(new MkdirsRequest { Path = "/data/<img src=x onerror=alert('x')>&\"" }, StatusPageHost.As("bob"), cancellationToken: TestContext.Current.CancellationToken);

        var (status, html) = await host.GetAsync("/explorer?path=%2Fdata");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<tr data-name="f" data-type="file"><td class="mono">-rw-r--r--</td><td>bob</td>""", html);
        Assert.Contains("""<a href="/explorer?path=%2Fdata%2Ff">f</a>""", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(&#x27;x&#x27;)&gt;&amp;&quot;/</a>", html);
        Assert.Contains("data-name=\"&lt;img src=x onerror=alert(&#x27;x&#x27;)&gt;&amp;&quot;\"", html);
        Assert.Contains("""<div class="breadcrumbs" id="breadcrumbs"><a href="/explorer?path=%2F">/</a><a href="/explorer?path=%2Fdata">data</a></div>""", html);

        (status, html) = await host.GetAsync("/explorer?path=/data/f");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<tr><th>Size</th><td>42 B (42 bytes)</td></tr>""", html);
        Assert.Contains($"<tr data-block-id=\"{block.Block.BlockId}\">", html);
        Assert.Contains("dn1 (127.0.0.1:40003), dn2 (127.0.0.1:40003)", html);

        // Absent path: the root.
        (status, html) = await host.GetAsync("/explorer");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<a href="/explorer?path=%2Fdata">data/</a>""", html);
    }

    [Fact]
    public async Task The_web_user_goes_through_the_permission_checks_and_bad_input_gets_its_status()
    {
        await using var host = await StatusPageHost.StartAsync(StatusPageHost.DefaultState());
        await host.WaitUntilActiveAsync();
        await host.RegisterDataNodesAsync();
        await host.Client.MkdirsAsync(new MkdirsRequest { Path = "/private", Permission = 0x1C0 }, StatusPageHost.As("bob"), cancellationToken: TestContext.Current.CancellationToken); // 0700
        await host.WriteFileAsync("/shared/secret", "bob", 7);
        await host.Client.SetPermissionAsync(new SetPermissionRequest { Path = "/shared/secret", Permission = 0x180 }, StatusPageHost.As("bob"), cancellationToken: TestContext.Current.CancellationToken); // 0600

        var (status, html) = await host.GetAsync("/explorer?path=/private");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<b>Permission denied</b> (HTTP 403): /private: permission denied: user=dr.who, access=READ_EXECUTE", html);
        Assert.DoesNotContain("id=\"listing\"", html);

        // Its status needs only traversal; its blocks need READ.
        (status, html) = await host.GetAsync("/explorer?path=/shared/secret");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<td class="mono">-rw-------</td>""", html);
        Assert.Contains("""<div class="message error" id="blocks-denied"><b>Permission denied</b>: the blocks are not shown: /shared/secret: permission denied: user=dr.who, access=READ""", html);
        Assert.DoesNotContain("data-block-id", html);

        (status, html) = await host.GetAsync("/explorer?path=/nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/nope: no such file or directory", html);
        (status, html) = await host.GetAsync("/explorer?path=/shared/secret/below");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("is not a directory", html);
        (status, html) = await host.GetAsync("/explorer?path=relative");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not absolute", html);
        (status, html) = await host.GetAsync("/explorer?path=");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("the path is empty", html);
        (status, html) = await host.GetAsync("/explorer?path=/a/../b");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, html) = await host.GetAsync("/explorer?path=/&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("limit &#x27;0&#x27; is not a number of entries from 1 to 1000", html);
    }

    [Fact]
    public async Task A_large_directory_is_paged_with_a_next_link()
    {
        await using var host = await StatusPageHost.StartAsync(StatusPageHost.DefaultState());
        await host.WaitUntilActiveAsync();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await host.Client.MkdirsAsync(new MkdirsRequest { Path = "/many/" + name, CreateParent = true }, StatusPageHost.As("bob"), cancellationToken: TestContext.Current.CancellationToken);
        }

        var (status, html) = await host.GetAsync("/explorer?path=/many&limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a", "b"], Names(html));
        Assert.Contains("""<a id="next" href="/explorer?path=%2Fmany&amp;startAfter=b&amp;limit=2">""", html);

        (_, html) = await host.GetAsync("/explorer?path=%2Fmany&startAfter=b&limit=2");
        Assert.Equal(["c", "d"], Names(html));
        (_, html) = await host.GetAsync("/explorer?path=%2Fmany&startAfter=d&limit=2");
        Assert.Equal(["e"], Names(html));
        Assert.DoesNotContain("id=\"next\"", html);
        Assert.Contains("id=\"first\"", html);
    }

    [Fact]
    public async Task A_standby_renders_its_overview_but_its_browser_refuses_with_503()
    {
        var state = StatusPageHost.DefaultState();
        state.Fenced = true; // another NameNode leads: this one stays standby
        await using var host = await StatusPageHost.StartAsync(state);
        await Eventually.WaitUntilAsync(async () => (await host.Client.GetHaStatusAsync(new GetHaStatusRequest(), cancellationToken: TestContext.Current.CancellationToken)).State == "standby",
            TimeSpan.FromSeconds(30), "the NameNode to be standby");

        var (status, html) = await host.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("""<span id="role" class="role role-standby">standby</span>""", html);
        Assert.Contains("""<td id="safe-mode">not applicable (standby: only the active NameNode serves writes)</td>""", html);
        Assert.Contains("""<td class="num" id="live-datanodes">2</td>""", html);

        (status, html) = await host.GetAsync("/explorer?path=/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("NameNode nn-page is not active (standby)", html);
        Assert.Contains("browse on the active NameNode", html);
    }

    private static string[] Names(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "<tr data-name=\"([^\"]*)\"").Select(m => m.Groups[1].Value)];
}
