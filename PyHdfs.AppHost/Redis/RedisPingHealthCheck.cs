using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PyHdfs.AppHost.Redis;

/// <summary>Healthy when redis-server answers <c>AUTH</c> + <c>PING</c> with <c>+OK</c> and <c>+PONG</c>.</summary>
internal sealed class RedisPingHealthCheck(RedisServerResource resource, string password) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (resource.PrimaryEndpoint is not { IsAllocated: true } endpoint)
        {
            return HealthCheckResult.Unhealthy("no port allocated yet");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"), timeout.Token).ConfigureAwait(false);
            var answer = new StringBuilder();
            var buffer = new byte[256];
            while (answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length < 2)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var lines = answer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            return lines is ["+OK", "+PONG", ..]
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"redis-server answered '{string.Join(" | ", lines)}'");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"redis-server does not answer on {endpoint.Host}:{endpoint.Port}: {e.Message}");
        }
    }
}
