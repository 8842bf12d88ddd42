using System.Net;
using System.Text.Json;

namespace PyHdfs.IntegrationTests.WebHdfs;

/// <summary>Plain HttpClient calls to a cluster's WebHDFS endpoint, redirects not followed (each hop is asserted).</summary>
public sealed class WebHdfsHttp : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(2) };

    public WebHdfsHttp(PyHdfsCluster cluster, string nameNode = "namenode")
    {
        BaseUrl = cluster.Endpoint(nameNode, "webhdfs").ToString().TrimEnd('/');
    }

    /// <summary>http://127.0.0.1:PORT of the NameNode's webhdfs endpoint.</summary>
    public string BaseUrl { get; }

    /// <summary>The URL of <paramref name="encodedPath"/> (already percent-encoded) with the query.</summary>
    public Uri Url(string encodedPath, string query) => new($"{BaseUrl}/webhdfs/v1{encodedPath}?{query}");

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string encodedPath, string query, HttpContent? content = null) =>
        SendAsync(method, Url(encodedPath, query), content);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        return await _http.SendAsync(request, Dfs.Token);
    }

    /// <summary>The JSON body after asserting the status.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Dfs.Token);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string encodedPath, string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(HttpMethod.Get, encodedPath, query);
        return await JsonAsync(response, expected);
    }

    /// <summary>The RemoteException of a failed call, after asserting its status and exception name.</summary>
    public static async Task<string> AssertRemoteExceptionAsync(HttpResponseMessage response, HttpStatusCode status, string exception)
    {
        var json = await JsonAsync(response, status);
        var remote = json.GetProperty("RemoteException");
        Assert.Equal(exception, remote.GetProperty("exception").GetString());
        Assert.False(string.IsNullOrEmpty(remote.GetProperty("javaClassName").GetString()));
        return remote.GetProperty("message").GetString()!;
    }

    /// <summary>CREATE through both hops (NameNode 307, DataNode 201); returns the DataNode's Location.</summary>
    public async Task<Uri> CreateAsync(string encodedPath, string user, byte[] data, string extraQuery = "overwrite=true")
    {
        using var redirect = await SendAsync(HttpMethod.Put, encodedPath, $"op=CREATE&user.name={user}&{extraQuery}");
        Assert.True(redirect.StatusCode == HttpStatusCode.TemporaryRedirect, $"CREATE {encodedPath}: {(int)redirect.StatusCode} {await redirect.Content.ReadAsStringAsync(Dfs.Token)}");
        var location = redirect.Headers.Location!;
        using var created = await SendAsync(HttpMethod.Put, location, new ByteArrayContent(data));
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"PUT {location}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(Dfs.Token)}");
        return location;
    }

    /// <summary>OPEN through both hops.</summary>
    public async Task<byte[]> OpenAsync(string encodedPath, string user, string extraQuery = "")
    {
        using var redirect = await SendAsync(HttpMethod.Get, encodedPath, $"op=OPEN&user.name={user}&{extraQuery}");
        Assert.True(redirect.StatusCode == HttpStatusCode.TemporaryRedirect, $"OPEN {encodedPath}: {(int)redirect.StatusCode} {await redirect.Content.ReadAsStringAsync(Dfs.Token)}");
        using var data = await SendAsync(HttpMethod.Get, redirect.Headers.Location!);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        var bytes = await data.Content.ReadAsByteArrayAsync(Dfs.Token);
        Assert.Equal(bytes.Length, data.Content.Headers.ContentLength);
        return bytes;
    }

    /// <summary>
    /// Sends <paramref name="target"/> byte for byte on a fresh socket (HttpClient would re-encode a malformed
    /// escape such as %ZZ); returns the status code and the body of the answer.
    /// </summary>
    public async Task<(int Status, string Body)> SendRawAsync(string method, string target)
    {
        var server = new Uri(BaseUrl);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, Dfs.Token);
        var stream = tcp.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), Dfs.Token);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(Dfs.Token);
        var statusLine = answer[..answer.IndexOf('\r', StringComparison.Ordinal)];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    public void Dispose() => _http.Dispose();
}
