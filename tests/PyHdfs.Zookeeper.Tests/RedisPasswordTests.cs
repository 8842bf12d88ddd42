using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PyHdfs.Protocol.Registry;
using PyHdfs.Testing;

namespace PyHdfs.Zookeeper.Tests;

/// <summary>The registry against a Redis that requires a password (<c>requirepass</c>), given in <c>ConnectionStrings__redis</c>.</summary>
public sealed class RedisPasswordTests
{
    private const string Password = "s3cret-registry-password";

    [Fact]
    public async Task Registry_works_with_the_password_in_the_connection_string()
    {
        await using var redis = await RedisServer.StartAsync(Password);
        Assert.StartsWith("-NOAUTH", await SendAsync(redis.Port, "PING\r\n"), StringComparison.Ordinal);
        await using var host = await RegistryTestHost.StartAsync(ttlMs: 5_000, redis: redis);

        await host.Client.RegisterAsync(new RegisterRequest { Node = RegistryTestHost.Node("dn-1") });

        var listed = Assert.Single((await host.Client.ListDataNodesAsync(new ListDataNodesRequest())).Nodes);
        Assert.Equal("dn-1", listed.Address.Id);
    }

    [Fact]
    public async Task A_wrong_password_makes_the_registry_unhealthy_without_showing_the_password()
    {
        await using var redis = await RedisServer.StartAsync(Password);
        const string wrong = "not-the-password";
        await using var host = await RegistryTestHost.StartAsync(redis: redis, connectionString: $"127.0.0.1:{redis.Port},password={wrong}");
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var failures = host.App.Services.GetRequiredService<RedisConnectionFailures>();
        await Eventually.WaitUntilAsync(() => failures.Last is not null, TimeSpan.FromSeconds(30), "the registry to record the refused password");
        var health = await http.GetAsync(new Uri(host.Address, "/health"));
        var body = await health.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.DoesNotContain(wrong, body, StringComparison.Ordinal);
        var reason = failures.Last!;
        Assert.Contains("authentication failed", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, reason, StringComparison.Ordinal);
    }

    /// <summary>One RESP command on a fresh connection; returns the first line of the answer.</summary>
    private static async Task<string> SendAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command));
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
