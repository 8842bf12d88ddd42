using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using PyHdfs.Client;
using PyHdfs.Testing;

namespace PyHdfs.Benchmarks;

/// <summary>
/// A 3-DataNode cluster of real processes in a temp directory: PyHdfs.AppHost's own topology, started by
/// Aspire's DCP through Aspire.Hosting.Testing, as the end-to-end tests start theirs.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    public const int DataNodeCount = 3;
    private static readonly string[] Services = ["redis", "zookeeper", "metadata", "namenode", "datanode-1", "datanode-2", "datanode-3"];

    private DistributedApplication? _app;
    private ResourceLogs? _logs;

    public PyHdfs.Testing.TempDirectory Directory { get; } = new("pyhdfs-bench");

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the cluster is not started");

    public string NameNodeAddress => App.GetEndpoint("namenode", "grpc").ToString().TrimEnd('/');

    public string LocalDirectory => Directory.Combine("local");

    public string DataDirectory => Directory.Combine("data");

    public IEnumerable<string> DataNodeNames => Enumerable.Range(1, DataNodeCount).Select(i => $"datanode-{i}");

    public string DataNodeDirectory(string name) => Path.Combine(DataDirectory, name);

    /// <summary>The service's own process (not DCP's <c>dotnet run</c> wrapper).</summary>
    public int Pid(string resource) => ResourceProcesses.ServicePid(App, resource) ?? throw new InvalidOperationException($"{resource} is not running");

    /// <summary>The processes whose CPU the cluster's cost counts: redis-server and every service.</summary>
    public IEnumerable<int> ServicePids => Services.Select(s => ResourceProcesses.ServicePid(App, s)).OfType<int>();

    public DfsClient CreateClient() => new(new DfsClientOptions { NameNodes = [new Uri(NameNodeAddress)] });

    public async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(LocalDirectory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PyHdfs_AppHost>(
            [
                "--datanodes", DataNodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--data-dir", DataDirectory, "--PyHdfs:ClusterFile=",
                "--set", "Registry__HeartbeatIntervalMs=500", "--set", "DataNode__HeartbeatIntervalMs=500",
                "--set", "NameNode__DataNodeHeartbeatIntervalMs=500",
            ], deadline.Token);
            builder.Quiet();
            _app = await builder.BuildAsync(deadline.Token);
            _logs = ResourceLogs.Watch(_app);
            await _app.StartAsync(deadline.Token);
            await Task.WhenAll(Services.Select(s => _app.ResourceNotifications.WaitForResourceHealthyAsync(s, deadline.Token)));
            await WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the PyHDFS cluster did not start: {e.Message}\n{_logs?.Recent(15)}", e);
        }
    }

    /// <summary>SIGKILL of the resource's process; returns once Aspire sees it gone.</summary>
    public async Task KillAsync(string resource)
    {
        ResourceProcesses.Kill(App, resource);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is "Exited" or "Finished", deadline.Token);
    }

    /// <summary>Aspire's start command for a stopped resource (it is then starting, not necessarily healthy yet).</summary>
    public async Task StartAsync(string resource)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"could not start {resource}: {result.Message}");
        }
    }

    /// <summary>Waits until every DataNode is live and the NameNode has left safe mode.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        await using var client = CreateClient();
        await Eventually.WaitUntilAsync(async () =>
            {
                var stats = await client.GetFsStatsAsync();
                return stats.LiveDataNodes == DataNodeCount && !stats.SafeMode;
            },
            timeout, "all DataNodes live and safe mode off", TimeSpan.FromMilliseconds(100));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _logs?.Dispose();
        Directory.Dispose();
    }
}
