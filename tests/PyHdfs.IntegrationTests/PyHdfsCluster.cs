using PyHdfs.AppHost;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Client;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// A whole PyHDFS cluster of real processes (redis-server, Zookeeper, Metadata, NameNode, DataNodes),
/// started by the AppHost's own orchestrator and topology in a temp directory: one per test class.
/// Tests of a class share it and use distinct paths.
/// </summary>
public class PyHdfsCluster : IAsyncLifetime
{
    public const long BlockSizeBytes = 1024 * 1024;
    public const int Replication = 2;

    private readonly StringWriter _log = new();
    private DistributedApplication? _app;
    private DfsClient? _client;

    public PyHdfsCluster()
    {
        Options = AppHostOptions.ForEmbeddedCluster(Directory.Combine("data"), _log);
        Options.DataNodes = 3;
        Options.Replication = Replication;
        Options.BlockSizeBytes = BlockSizeBytes;
        // Short intervals so that liveness, leadership and recovery happen within a test's deadline.
        Options.ServiceSettings["Registry__DataNodeTtlMs"] = "6000";
        Options.ServiceSettings["NameNode__LeaderLeaseMs"] = "3000";
        Options.ServiceSettings["NameNode__LeaseCheckIntervalMs"] = "250";
        Configure(Options);
    }

    public TempDirectory Directory { get; } = new("pyhdfs-e2e");

    public AppHostOptions Options { get; }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the cluster is not started");

    public string NameNodeAddress => App.NameNodeAddress;

    /// <summary>A client shared by the tests of the class.</summary>
    public DfsClient Client => _client ??= CreateClient();

    public IReadOnlyList<string> DataNodeNames => [.. Enumerable.Range(1, Options.DataNodes).Select(i => $"datanode-{i}")];

    public IReadOnlyList<string> DataNodeDirectories => [.. DataNodeNames.Select(n => Path.Combine(App.DataDirectory, n))];

    /// <summary>A working directory for local files of the CLI.</summary>
    public string LocalDirectory => Directory.Combine("local");

    /// <summary>Everything the orchestrator reported, for failure messages.</summary>
    public string OrchestratorLog => _log.ToString();

    protected virtual void Configure(AppHostOptions options)
    {
    }

    /// <summary>A client that knows every NameNode (two with --namenodes 2).</summary>
    public DfsClient CreateClient() => new(new DfsClientOptions
    {
        NameNodes = [.. App.NameNodeAddresses.Select(a => new Uri(a))],
        TlsCaPath = App.Tls?.CaPath,
    });

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(LocalDirectory);
        var builder = DistributedApplication.CreateBuilder(Options);
        PyHdfsTopology.Add(builder);
        _app = builder.Build();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await _app.StartAsync(deadline.Token);
            await WaitForLiveDataNodesAsync(Options.DataNodes);
            await Eventually.WaitUntilAsync(async () => !(await Client.GetFsStatsAsync()).SafeMode,
                TimeSpan.FromSeconds(60), "the NameNode to leave safe mode", TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e)
        {
            var logs = App.RecentLogs(15);
            await DisposeAsync();
            throw new InvalidOperationException($"the PyHDFS cluster did not start: {e.Message}\n{OrchestratorLog}\n{logs}", e);
        }
    }

    /// <summary>Waits until the NameNode counts exactly <paramref name="count"/> live DataNodes.</summary>
    public Task WaitForLiveDataNodesAsync(int count, TimeSpan? timeout = null) =>
        Eventually.WaitUntilAsync(async () => (await Client.GetFsStatsAsync()).LiveDataNodes == count,
            timeout ?? TimeSpan.FromSeconds(60), $"{count} live DataNodes at the NameNode", TimeSpan.FromMilliseconds(200));

    public Task KillAsync(string resource) => App.KillAsync(resource);

    public Task StopAsync(string resource) => App.StopAsync(resource);

    public Task StartAsync(string resource) => App.StartAsync(resource);

    public Task RestartAsync(string resource) => App.RestartAsync(resource);

    /// <summary>Runs the real pyhdfs executable against this cluster.</summary>
    public Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(stdin: null, args);

    public Task<CliResult> RunCliAsync(byte[]? stdin, params string[] args) =>
        CliRunner.RunAsync(NameNodeAddress, stdin, args, LocalDirectory);

    public string LocalPath(string name) => Path.Combine(LocalDirectory, name);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_client is not null)
        {
            await _client.DisposeAsync();
            _client = null;
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Directory.Dispose();
    }
}
