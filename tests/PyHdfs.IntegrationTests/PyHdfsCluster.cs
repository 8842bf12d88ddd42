using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PyHdfs.Client;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// A whole PyHDFS cluster of real processes — the very topology of PyHdfs.AppHost, started through
/// Aspire.Hosting.Testing (DCP runs redis-server and every service; ports are random, data in a temp
/// directory) — one per test class. Tests of a class share it and use distinct paths.
/// </summary>
public class PyHdfsCluster : IAsyncLifetime
{
    public const long BlockSizeBytes = 1024 * 1024;
    public const int Replication = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;
    private ResourceLogs? _logs;
    private DfsClient? _client;

    public PyHdfsCluster()
    {
        Options.Replication = Replication;
        Options.BlockSizeBytes = BlockSizeBytes;
        // Short intervals so that liveness, leadership and recovery happen within a test's deadline.
        Options.ServiceSettings["Registry__HeartbeatIntervalMs"] = "500";
        Options.ServiceSettings["DataNode__HeartbeatIntervalMs"] = "500";
        Options.ServiceSettings["NameNode__DataNodeHeartbeatIntervalMs"] = "500";
        Options.ServiceSettings["Registry__DataNodeTtlMs"] = "6000";
        Options.ServiceSettings["NameNode__LeaderLeaseMs"] = "3000";
        Options.ServiceSettings["NameNode__LeaseCheckIntervalMs"] = "250";
        Configure(Options);
    }

    public PyHdfs.Testing.TempDirectory Directory { get; } = new("pyhdfs-e2e");

    public ClusterOptions Options { get; } = new();

    /// <summary>The secret the services share (chosen here, so security tests can look for it where it must not be).</summary>
    public string ClusterSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the cluster is not started");

    public string DataDirectory => Directory.Combine("data");

    /// <summary>The cluster CA with --tls (DATA/tls/ca.pem), else null.</summary>
    public string? TlsCaPath => Options.Tls ? Path.Combine(DataDirectory, "tls", "ca.pem") : null;

    public IReadOnlyList<string> NameNodeNames => Options.NameNodes == 1 ? ["namenode"] : ["namenode-1", "namenode-2"];

    public IReadOnlyList<string> NameNodeAddresses => [.. NameNodeNames.Select(n => Endpoint(n, "grpc").ToString().TrimEnd('/'))];

    /// <summary>Every NameNode's address, comma-separated, as the CLI's --namenode takes them.</summary>
    public string NameNodeAddress => string.Join(",", NameNodeAddresses);

    /// <summary>A client shared by the tests of the class.</summary>
    public DfsClient Client => _client ??= CreateClient();

    public IReadOnlyList<string> DataNodeNames => [.. Enumerable.Range(1, Options.DataNodes).Select(i => $"datanode-{i}")];

    public IReadOnlyList<string> DataNodeDirectories => [.. DataNodeNames.Select(n => Path.Combine(DataDirectory, n))];

    /// <summary>A working directory for local files of the CLI.</summary>
    public string LocalDirectory => Directory.Combine("local");

    /// <summary>The console output of every resource so far (the same lines the dashboard shows).</summary>
    public ResourceLogs Logs => _logs ?? throw new InvalidOperationException("the cluster is not started");

    protected virtual void Configure(ClusterOptions options)
    {
    }

    /// <summary>Every resource of the app (redis, zookeeper, metadata, the NameNodes, the DataNodes, client, parameters).</summary>
    public IReadOnlyList<string> ResourceNames =>
        [.. App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(r => r.Name)];

    /// <summary>The per-run password of the cluster's Redis, from its connection string.</summary>
    public async Task<string> RedisPasswordAsync()
    {
        var connection = await App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("redis has no connection string");
        const string key = "password=";
        return connection[(connection.IndexOf(key, StringComparison.Ordinal) + key.Length)..].Split(',')[0];
    }

    /// <summary>The address of one endpoint (http, grpc, data, tcp) of a resource.</summary>
    public Uri Endpoint(string resource, string endpointName) => App.GetEndpoint(resource, endpointName);

    /// <summary>A client that knows every NameNode (two with --namenodes 2).</summary>
    public DfsClient CreateClient() => new(new DfsClientOptions
    {
        NameNodes = [.. NameNodeAddresses.Select(a => new Uri(a))],
        TlsCaPath = TlsCaPath,
    });

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(LocalDirectory);
        await StartAppAsync();
    }

    /// <summary>Starts the AppHost on <see cref="DataDirectory"/> and waits until the file system serves.</summary>
    private async Task StartAppAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PyHdfs_AppHost>(
                [.. Options.ToArguments(DataDirectory, ClusterSecret)], deadline.Token);
            builder.Quiet();
            _app = await builder.BuildAsync(deadline.Token);
            _logs = ResourceLogs.Watch(_app);
            await _app.StartAsync(deadline.Token);
            await Task.WhenAll(StartsWithCluster().Select(name => App.ResourceNotifications.WaitForResourceHealthyAsync(name, deadline.Token)));
            await WaitForLiveDataNodesAsync(Options.DataNodes);
            await Eventually.WaitUntilAsync(async () => !(await Client.GetFsStatsAsync()).SafeMode,
                TimeSpan.FromSeconds(60), "the NameNode to leave safe mode", TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e)
        {
            var logs = _logs?.Recent(15) ?? "";
            await DisposeAsync();
            throw new InvalidOperationException($"the PyHDFS cluster did not start: {e.Message}\n{logs}", e);
        }
    }

    /// <summary>
    /// A power cut: SIGKILL to every process of the cluster (redis-server, every service and DCP's wrappers of
    /// them) in one sweep, none warned, then the orchestration is torn down. The data directory stays.
    /// </summary>
    public async Task PowerCutAsync()
    {
        var victims = StartsWithCluster()
            .Select(name => ResourceProcesses.StartedPid(App, name) ?? throw new InvalidOperationException($"{name} is not running"))
            .SelectMany(pid => ProcessTree.Descendants(pid).Append(pid))
            .ToList();
        foreach (var pid in victims)
        {
            if (ProcessTree.IsAlive(pid))
            {
                ProcessTree.Signal(pid, ProcessTree.SigKill);
            }
        }
        await StopAppAsync();
        await Eventually.WaitUntilAsync(() => !victims.Any(ProcessTree.IsAlive), TimeSpan.FromSeconds(30), "every killed process to be gone");
    }

    /// <summary>The AppHost again, on the same data directory and secret (after <see cref="PowerCutAsync"/>).</summary>
    public Task StartAgainAsync() => StartAppAsync();

    private async Task StopAppAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
            _client = null;
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        _logs?.Dispose();
        _logs = null;
    }

    private IEnumerable<string> StartsWithCluster() => ["redis", "zookeeper", "metadata", .. NameNodeNames, .. DataNodeNames];

    /// <summary>Waits until the NameNode counts exactly <paramref name="count"/> live DataNodes.</summary>
    public Task WaitForLiveDataNodesAsync(int count, TimeSpan? timeout = null) =>
        Eventually.WaitUntilAsync(async () => (await Client.GetFsStatsAsync()).LiveDataNodes == count,
            timeout ?? TimeSpan.FromSeconds(60), $"{count} live DataNodes at the NameNode", TimeSpan.FromMilliseconds(200));

    /// <summary>The pid of a resource's own process (for a project, the service itself, not DCP's <c>dotnet run</c> wrapper); null when not running.</summary>
    public int? PidOf(string resource) => ResourceProcesses.ServicePid(App, resource);

    /// <summary>SIGKILL of the resource's process, as a crash would; returns once Aspire sees it gone.</summary>
    public async Task KillAsync(string resource)
    {
        ResourceProcesses.Kill(App, resource);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", deadline.Token);
    }

    /// <summary>
    /// A graceful stop, as an operator's: SIGTERM to the resource's own process (the service lets in-flight work
    /// end), then waits until Aspire sees it gone. (Aspire's stop command goes through DCP's <c>dotnet run</c>
    /// wrapper and was seen to fail with "Failed to stop resource" under load.)
    /// </summary>
    public async Task StopAsync(string resource)
    {
        ResourceProcesses.Signal(App, resource, ProcessTree.SigTerm);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", deadline.Token);
    }

    /// <summary>
    /// Aspire's start command, then waits until the resource is healthy again. DCP 13.6 was seen to end a start
    /// issued right after a kill in FailedToStart without launching any process (CI, under load); the same
    /// command a moment later starts it, so a start is tried up to three times.
    /// </summary>
    public async Task StartAsync(string resource)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            await ExecuteAsync(resource, KnownResourceCommands.StartCommand);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                var reached = await App.ResourceNotifications.WaitForResourceAsync(resource, e =>
                    e.Snapshot.State?.Text == KnownResourceStates.FailedToStart
                    || (e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy), deadline.Token);
                if (reached.Snapshot.State?.Text == KnownResourceStates.Running)
                {
                    return;
                }
                if (attempt == attempts)
                {
                    throw new InvalidOperationException($"{resource} failed to start {attempts} times; its last lines:\n  "
                        + string.Join("\n  ", Logs.Of(resource).TakeLast(30)));
                }
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt));
            }
            catch (OperationCanceledException e)
            {
                throw new InvalidOperationException($"{resource} did not become healthy again within 2 minutes; its last lines:\n  "
                    + string.Join("\n  ", Logs.Of(resource).TakeLast(30)), e);
            }
        }
    }

    public async Task RestartAsync(string resource)
    {
        await StopAsync(resource);
        await StartAsync(resource);
    }

    /// <summary>Runs one of the resource's commands (Aspire's or ours, e.g. the NameNode's fsck); fails with its message.</summary>
    public async Task<string?> ExecuteAsync(string resource, string command)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        return result.Success ? result.Message : throw new InvalidOperationException($"{command} on {resource} failed: {result.Message}");
    }

    /// <summary>Runs the real pyhdfs executable against this cluster.</summary>
    public Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(stdin: null, args);

    public Task<CliResult> RunCliAsync(byte[]? stdin, params string[] args) =>
        CliRunner.RunAsync(NameNodeAddress, stdin, args, LocalDirectory,
            environment: TlsCaPath is null ? null : new Dictionary<string, string> { ["PYHDFS_TLS_CA"] = TlsCaPath });

    public string LocalPath(string name) => Path.Combine(LocalDirectory, name);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await StopAppAsync();
        Directory.Dispose();
    }
}
