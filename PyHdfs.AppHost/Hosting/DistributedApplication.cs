using System.Collections.Concurrent;
using System.Diagnostics;
using PyHdfs.AppHost.Dashboard;
using PyHdfs.Protocol.Security;

namespace PyHdfs.AppHost.Hosting;

/// <summary>
/// Runs the resource graph: each resource a child process, started once everything it needs is
/// healthy, stopped in reverse order. The command line's <see cref="Run"/> and the test fixtures
/// use the same instance API (<see cref="StartAsync(CancellationToken)"/>, per-resource operations, <see cref="DisposeAsync"/>).
/// </summary>
public sealed partial class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly Dictionary<string, ResourceRuntime> _runtimes;
    private readonly SemaphoreSlim _operations = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _expectedExit = new(StringComparer.Ordinal);
    private string? _redisExecutable;
    private DashboardServer? _dashboard;
    private ClusterTrust? _trust;
    private volatile bool _shutdownRequested;
    private volatile bool _stopped;

    /// <summary>
    /// The secret the services prove cluster membership with: the user's <c>PyHdfs__ClusterSecret</c>,
    /// else a random one per AppHost run. Never logged, shown or written to a manifest.
    /// </summary>
    internal string ClusterSecret { get; } = Environment.GetEnvironmentVariable(ChildEnvironment.ClusterSecretKey) is { Length: > 0 } configured
        ? configured
        : Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The password of the cluster's Redis, random per run, given to redis-server in a 0600 config file
    /// and to the registry in its connection string; never in a log, a command line or the dashboard.
    /// </summary>
    internal string RedisPassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        ResourceGraph.ThrowIfCyclic(builder.Resources);
        _runtimes = builder.Resources.ToDictionary(r => r.Name, r => new ResourceRuntime(r, DataDirectory), StringComparer.Ordinal);
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        if (Publishing.PublishArguments.TryParse(args) is { } publish)
        {
            var publishOptions = AppHostOptions.Parse(publish.Options, out var optionsError, out var publishHelp);
            var problem = publish.Error ?? optionsError;
            var text = publishHelp ? Publishing.PublishArguments.Usage : problem is null ? null : $"error: {problem}\n\n{Publishing.PublishArguments.Usage}";
            return new DistributedApplicationBuilder(publishOptions ?? new AppHostOptions(), RepositoryLayout.Discover(), text, commandLineOk: problem is null)
            {
                PublishOutput = problem is null && !publishHelp ? publish.Output : null,
            };
        }
        var options = AppHostOptions.Parse(args, out var error, out var help);
        var message = help ? AppHostOptions.Usage : error is null ? null : $"error: {error}\n\n{AppHostOptions.Usage}";
        return new DistributedApplicationBuilder(options ?? new AppHostOptions(), RepositoryLayout.Discover(), message, commandLineOk: error is null);
    }

    public static DistributedApplicationBuilder CreateBuilder(AppHostOptions options, RepositoryLayout? layout = null) =>
        new(options, layout ?? RepositoryLayout.Discover(), null, commandLineOk: true);

    public AppHostOptions Options => _builder.Options;

    public RepositoryLayout Layout => _builder.Layout;

    public string DataDirectory => Options.FullDataDirectory;

    public IReadOnlyList<ResourceRuntime> Resources => [.. _builder.Resources.Select(r => _runtimes[r.Name])];

    /// <summary>Every resource's state and last log lines: what to show when a cluster did not come up.</summary>
    public string RecentLogs(int linesPerResource) =>
        string.Join("\n", Resources.Select(r => $"--- {r.Name} ({r.State}):\n  " + string.Join("\n  ", r.Logs.Tail(linesPerResource))));

    public ResourceRuntime this[string name] =>
        _runtimes.TryGetValue(name, out var runtime) ? runtime : throw new KeyNotFoundException($"no resource named '{name}'");

    private TextWriter Log => Options.Log;

    /// <summary>The dashboard and OTLP receiver, running from the start of <see cref="StartAsync(CancellationToken)"/>.</summary>
    public DashboardServer Dashboard => _dashboard ?? throw new InvalidOperationException("the application is not started");

    /// <summary>
    /// Starts the dashboard, then every resource in dependency order (independent ones side by side;
    /// explicit-start ones not), then writes DATA/cluster.json.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        PrepareDirectories();
        PrepareTls();
        await RedisExecutable.KillStaleAsync(RedisPidFile, Log).ConfigureAwait(false);
        _dashboard ??= await DashboardServer.StartAsync(this, cancellationToken).ConfigureAwait(false);
        Log.WriteLine($"[apphost] dashboard {_dashboard.Url} (OTLP/gRPC receiver {_dashboard.OtlpEndpoint})");
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new Dictionary<Resource, Task>();
        Task StartInOrder(Resource resource)
        {
            if (!started.TryGetValue(resource, out var task))
            {
                var dependencies = resource.Dependencies.Select(StartInOrder).ToList();
                task = Task.Run(async () =>
                {
                    try
                    {
                        await Task.WhenAll(dependencies).ConfigureAwait(false);
                        await StartResourceAsync(_runtimes[resource.Name], failed.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                }, CancellationToken.None);
                started[resource] = task;
            }
            return task;
        }
        var all = _builder.Resources.Where(r => !r.ExplicitStart).Select(StartInOrder).ToList();
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch
        {
            // Report the root cause, not the cancellations it caused in the other branches.
            var root = all.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (root is not null)
            {
                throw root;
            }
            throw;
        }
        ClusterDescription().Write(Path.Combine(DataDirectory, "cluster.json"));
    }

    internal ClusterFile ClusterDescription() =>
        new(NameNodeAddresses, DataDirectory, Environment.ProcessId, _dashboard?.Url, _dashboard?.OtlpEndpoint, Tls?.CaPath);

    /// <summary>The cluster's TLS files when <see cref="AppHostOptions.Tls"/> is on (from the start on), else null.</summary>
    public TlsFiles? Tls { get; private set; }

    /// <summary>Every NameNode's address (two with --namenodes 2), for the cluster file.</summary>
    public IReadOnlyList<string> NameNodeAddresses =>
        [.. Resources.Where(r => r.Resource is ProjectResource { Project: var p } && p == ServiceProject.NameNode).Select(r => r.Address ?? "")];

    /// <summary>Starts one stopped resource (its dependencies must be running), re-using its port and data.</summary>
    public async Task StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var runtime = this[name];
        await _operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (runtime.State is ResourceState.Running or ResourceState.Starting)
            {
                return;
            }
            var missing = runtime.Resource.Dependencies.Where(d => _runtimes[d.Name].State != ResourceState.Running).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"cannot start {name}: {string.Join(", ", missing)} not running");
            }
            await StartResourceAsync(runtime, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _operations.Release();
        }
    }

    /// <summary>SIGTERM, then SIGKILL after the grace period.</summary>
    public Task StopAsync(string name) => StopResourceAsync(this[name], kill: false);

    /// <summary>SIGKILL, as a crash would.</summary>
    public Task KillAsync(string name) => StopResourceAsync(this[name], kill: true);

    public async Task RestartAsync(string name, CancellationToken cancellationToken = default)
    {
        await StopAsync(name).ConfigureAwait(false);
        await StartAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every resource, dependents before what they depend on. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        _shutdownRequested = true;
        var dependents = ResourceGraph.Dependents(_builder.Resources);
        var stopping = new Dictionary<Resource, Task>();
        Task StopInOrder(Resource resource)
        {
            if (!stopping.TryGetValue(resource, out var task))
            {
                var before = dependents[resource].Select(StopInOrder).ToList();
                task = Task.Run(async () =>
                {
                    await Task.WhenAll(before).ConfigureAwait(false);
                    await StopResourceAsync(_runtimes[resource.Name], kill: false).ConfigureAwait(false);
                });
                stopping[resource] = task;
            }
            return task;
        }
        await Task.WhenAll(_builder.Resources.Select(StopInOrder)).ConfigureAwait(false);
        foreach (var runtime in _runtimes.Values)
        {
            runtime.Process?.Dispose();
        }
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync().ConfigureAwait(false);
        }
        ClusterFile.DeleteIfOwned(Path.Combine(DataDirectory, "cluster.json"), Environment.ProcessId);
        if (Options.ClusterFilePath is not null)
        {
            ClusterFile.DeleteIfOwned(Options.ClusterFilePath, Environment.ProcessId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _operations.Dispose();
    }

    private string RedisPidFile => Path.Combine(DataDirectory, "run", "redis.pid");

    /// <summary>With <see cref="AppHostOptions.Tls"/>: the CA and service certificate under DATA/tls (made or reused), once per application.</summary>
    private void PrepareTls()
    {
        if (Options.Tls && Tls is null)
        {
            Tls = DevelopmentCertificates.Ensure(Path.Combine(DataDirectory, "tls"));
            _trust = ClusterTrust.Load(Tls.CaPath);
            Log.WriteLine($"[apphost] TLS on: CA {Tls.CaPath}, service certificate {Tls.CertificatePath}");
        }
    }

    private void PrepareDirectories()
    {
        foreach (var sub in new[] { "", "run", "logs" })
        {
            Directory.CreateDirectory(Path.Combine(DataDirectory, sub));
        }
    }

    private async Task StopResourceAsync(ResourceRuntime runtime, bool kill)
    {
        var process = runtime.Process;
        if (process is null || process.HasExited)
        {
            if (runtime.State is ResourceState.Running or ResourceState.Starting)
            {
                runtime.State = ResourceState.Exited;
            }
            return;
        }
        _expectedExit[runtime.Name] = true;
        runtime.State = ResourceState.Stopping;
        runtime.ResetHealth();
        if (kill)
        {
            await process.KillAsync().ConfigureAwait(false);
        }
        else
        {
            await process.StopAsync(Options.StopGracePeriod).ConfigureAwait(false);
        }
        runtime.ExitCode = await process.Exited.ConfigureAwait(false);
        runtime.State = kill ? ResourceState.Exited : ResourceState.Stopped;
        if (runtime.Resource is RedisResource && File.Exists(RedisPidFile))
        {
            File.Delete(RedisPidFile);
        }
        Log.WriteLine($"[apphost] {runtime.Name} {(kill ? "killed" : "stopped")} (exit code {runtime.ExitCode})");
    }

    private void WatchForUnexpectedExit(ResourceRuntime runtime, ChildProcess process) =>
        _ = process.Exited.ContinueWith(exited =>
        {
            // On Ctrl+C the terminal signals every child too: exits during shutdown are expected.
            if (ReferenceEquals(runtime.Process, process) && !_expectedExit.ContainsKey(runtime.Name)
                && runtime.State == ResourceState.Running && !_stopped && !_shutdownRequested)
            {
                runtime.ExitCode = exited.Result;
                runtime.State = ResourceState.Exited;
                runtime.ResetHealth();
                Log.WriteLine(runtime.Resource is ProjectResource { HasEndpoint: false }
                    ? $"[apphost] {runtime.Name} finished with code {exited.Result}; log: {runtime.LogPath}"
                    : $"[apphost] {runtime.Name} exited unexpectedly with code {exited.Result}; log: {runtime.LogPath}");
            }
        }, TaskScheduler.Default);

    private static string Elapsed(Stopwatch clock) => $"{clock.Elapsed.TotalSeconds:0.0} s";
}
