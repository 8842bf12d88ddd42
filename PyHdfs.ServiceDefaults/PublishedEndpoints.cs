using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Endpoints a service listens on beyond Kestrel's (e.g. the DataNode's block-transfer port).
/// Services bind port 0; the orchestrator learns the real ports from the endpoints file.
/// </summary>
public sealed class PublishedEndpoints
{
    private readonly ConcurrentDictionary<string, string> _extra = new(StringComparer.Ordinal);

    public void Publish(string name, string address) => _extra[name] = address;

    public IReadOnlyDictionary<string, string> Extra => _extra;
}

/// <summary>
/// When <c>PyHdfs:EndpointsFile</c> is configured, writes <c>{"grpc":"http://127.0.0.1:port", ...}</c>
/// there (atomically, by rename) once the server has started, so whoever started this process can
/// wire its peers without guessing free ports.
/// </summary>
internal sealed class EndpointsFileWriter(IServiceProvider services, IConfiguration configuration, IHostApplicationLifetime lifetime)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = configuration["PyHdfs:EndpointsFile"];
        if (!string.IsNullOrWhiteSpace(path))
        {
            lifetime.ApplicationStarted.Register(() => Write(path));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Write(string path)
    {
        var endpoints = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var server = services.GetService<IServer>();
        var http = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (http is not null)
        {
            endpoints["grpc"] = http.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        }
        foreach (var (name, address) in services.GetRequiredService<PublishedEndpoints>().Extra)
        {
            endpoints[name] = address;
        }
        endpoints["pid"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(endpoints));
        File.Move(temp, path, overwrite: true);
    }
}
