using PyHdfs.AppHost;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Client;
using PyHdfs.Testing;

namespace PyHdfs.Benchmarks;

/// <summary>A 3-DataNode cluster of real processes in a temp directory, started by the AppHost's orchestrator.</summary>
public sealed class BenchCluster : IAsyncDisposable
{
    public const int DataNodeCount = 3;

    private readonly StringWriter _log = new();
    private DistributedApplication? _app;

    public TempDirectory Directory { get; } = new("pyhdfs-bench");

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the cluster is not started");

    public string NameNodeAddress => App.NameNodeAddress;

    public string LocalDirectory => Directory.Combine("local");

    public IEnumerable<string> DataNodeNames => Enumerable.Range(1, DataNodeCount).Select(i => $"datanode-{i}");

    public string DataNodeDirectory(string name) => Path.Combine(App.DataDirectory, name);

    public int Pid(string resource) => App[resource].Pid ?? throw new InvalidOperationException($"{resource} is not running");

    public DfsClient CreateClient() => new(new DfsClientOptions { NameNodes = [new Uri(NameNodeAddress)] });

    public async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(LocalDirectory);
        var options = AppHostOptions.ForEmbeddedCluster(Directory.Combine("data"), _log);
        options.DataNodes = DataNodeCount;
        var builder = DistributedApplication.CreateBuilder(options);
        PyHdfsTopology.Add(builder);
        _app = builder.Build();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await _app.StartAsync(deadline.Token);
            await WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the PyHDFS cluster did not start: {e.Message}\n{_log}\n{App.RecentLogs(15)}", e);
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
        Directory.Dispose();
    }
}
