using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using PyHdfs.Protocol.Security;

namespace PyHdfs.AppHost.Hosting;

/// <summary>Is a resource ready to serve? <c>GET /health</c> over HTTP/2 (h2c, or TLS with --tls) for services, <c>PING</c> for Redis.</summary>
internal static class HealthProbe
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>One client per cluster CA (tests run several TLS clusters in one process).</summary>
    private static readonly ConditionalWeakTable<ClusterTrust, HttpClient> TlsClients = [];

    public static Task<bool> IsHealthyAsync(string address, CancellationToken cancellationToken) =>
        IsHealthyAsync(address, trust: null, cancellationToken);

    /// <param name="trust">The cluster CA when the services run TLS (https:// addresses).</param>
    public static async Task<bool> IsHealthyAsync(string address, ClusterTrust? trust, CancellationToken cancellationToken)
    {
        var http = trust is null ? Http : TlsClients.GetValue(trust, t => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            SslOptions = t.ClientOptions(targetHost: null, peer: "a service's health endpoint"),
        })
        {
            Timeout = TimeSpan.FromSeconds(5),
        });
        // The services' one port is HTTP/2 only (prior knowledge without TLS): ask for exactly 2.0.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/health"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>AUTH then PING; ready once the answer to PING is +PONG ("-LOADING" while the append-only file is replayed).</summary>
    public static async Task<bool> RedisAnswersPingAsync(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"), cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var answer = new StringBuilder();
            var buffer = new byte[128];
            while (answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length < 2)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var lines = answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            return lines[0].StartsWith("+OK", StringComparison.Ordinal) && lines[1].StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
