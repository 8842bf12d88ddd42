using System.Diagnostics;
using System.Globalization;

namespace PyHdfs.AppHost.Hosting;

public sealed partial class DistributedApplication
{
    private const int MaxPortAttempts = 4;
    private const int LogLinesInErrors = 20;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private async Task StartResourceAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // Services bind port 0 at their first start and report it; the port is then kept for
                // restarts. redis-server must be told a port, so it gets one the OS just handed out.
                var firstStart = runtime.Port is null;
                if (firstStart && runtime.Resource is RedisResource)
                {
                    runtime.Port = Posix.FreeTcpPort();
                }
                try
                {
                    await StartOnceAsync(runtime, cancellationToken).ConfigureAwait(false);
                    runtime.MarkHealthy();
                    return;
                }
                catch (ResourceStartException) when (firstStart && attempt < MaxPortAttempts && LostPortRace(runtime))
                {
                    Log.WriteLine($"[apphost] {runtime.Name}: port {runtime.Port} was taken meanwhile, retrying on another");
                    runtime.Port = null;
                }
            }
        }
        catch (Exception e)
        {
            runtime.State = ResourceState.FailedToStart;
            runtime.MarkFailed(e);
            throw;
        }
    }

    private static bool LostPortRace(ResourceRuntime runtime) =>
        runtime.Logs.Snapshot().Any(line =>
            line.Text.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private async Task StartOnceAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var port = runtime.Port ?? 0;
        runtime.ResetHealth();
        runtime.State = ResourceState.Starting;
        runtime.ExitCode = null;
        _expectedExit.TryRemove(runtime.Name, out _);
        runtime.Process?.Dispose();

        string fileName;
        IReadOnlyList<string> arguments;
        IReadOnlyDictionary<string, string> environment;
        string endpointsFile = ChildEnvironment.EndpointsFilePath(DataDirectory, runtime.Name);
        switch (runtime.Resource)
        {
            case RedisResource:
                _redisExecutable ??= await RedisExecutable.LocateOrInstallAsync(Options, cancellationToken).ConfigureAwait(false);
                var redisDirectory = Path.Combine(DataDirectory, runtime.Name);
                Directory.CreateDirectory(redisDirectory);
                fileName = _redisExecutable;
                arguments = ChildEnvironment.RedisArguments(port, redisDirectory, RedisExecutable.WriteConfig(redisDirectory, RedisPassword));
                environment = new Dictionary<string, string>();
                break;
            case ProjectResource project:
                var assembly = Layout.AssemblyPath(project.Project);
                if (!File.Exists(assembly))
                {
                    throw new ResourceStartException(runtime.Name,
                        $"{runtime.Name}: {assembly} does not exist; build first: dotnet build PyHdfs.sln -c {Layout.Configuration}");
                }
                fileName = RepositoryLayout.DotnetHost();
                arguments = [assembly, .. project.Arguments];
                var otlp = ChildEnvironment.OtlpEndpointForChildren(_dashboard?.OtlpEndpoint, Environment.GetEnvironmentVariable);
                environment = ChildEnvironment.ForProject(project, port, DataDirectory, Environment.ProcessId, RunningAddresses(), Options.ServiceSettings, otlp, ClusterSecret, Tls);
                File.Delete(endpointsFile);
                break;
            default:
                throw new NotSupportedException(runtime.Resource.GetType().Name);
        }

        var process = ChildProcess.Start(fileName, arguments, environment, DataDirectory, runtime.LogPath, runtime.Logs);
        runtime.Process = process;
        runtime.Starts++;
        runtime.LastProbeHealthy = null;
        runtime.StartedAt = DateTimeOffset.UtcNow;
        runtime.HealthyAt = null;
        Log.WriteLine($"[apphost] {runtime.Name} starting (pid {process.Pid}{(port == 0 ? "" : $", port {port}")})");
        if (runtime.Resource is RedisResource)
        {
            await File.WriteAllTextAsync(RedisPidFile, process.Pid.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        WatchForUnexpectedExit(runtime, process);
        if (runtime.Resource is ProjectResource { HasEndpoint: false })
        {
            // A tool has nothing to probe: it runs until it is done.
            runtime.State = ResourceState.Running;
            return;
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var code = await process.Exited.ConfigureAwait(false);
                runtime.ExitCode = code;
                throw new ResourceStartException(runtime.Name,
                    $"{runtime.Name} exited with code {code} while starting; last lines of {runtime.LogPath}:\n  "
                    + string.Join("\n  ", runtime.Logs.Tail(LogLinesInErrors)));
            }
            if (deadline.Elapsed > Options.StartTimeout)
            {
                await process.KillAsync().ConfigureAwait(false);
                throw new ResourceStartException(runtime.Name,
                    $"{runtime.Name} was not healthy after {Options.StartTimeout.TotalSeconds:0} s; last lines of {runtime.LogPath}:\n  "
                    + string.Join("\n  ", runtime.Logs.Tail(LogLinesInErrors)));
            }
            if (await IsReadyAsync(runtime, port, endpointsFile, process.Pid, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
            await Task.WhenAny(process.Exited, Task.Delay(ProbeInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        runtime.HealthyAt = DateTimeOffset.UtcNow;
        runtime.State = ResourceState.Running;
        Log.WriteLine($"[apphost] {runtime.Name} healthy at {runtime.Address} ({Elapsed(clock)})");
    }

    private async Task<bool> IsReadyAsync(ResourceRuntime runtime, int port, string endpointsFile, int pid, CancellationToken cancellationToken)
    {
        if (runtime.Resource is RedisResource)
        {
            runtime.Address = ChildEnvironment.RedisAddress(port);
            return await HealthProbe.RedisAnswersPingAsync(port, RedisPassword, cancellationToken).ConfigureAwait(false);
        }
        var endpoints = EndpointsFile.TryRead(endpointsFile);
        if (endpoints is null || !endpoints.TryGetValue("grpc", out var address)
            || (endpoints.TryGetValue("pid", out var written) && written != pid.ToString(CultureInfo.InvariantCulture)))
        {
            return false;
        }
        runtime.Endpoints = endpoints;
        runtime.Address = address;
        runtime.Port ??= new Uri(address).Port;
        return await HealthProbe.IsHealthyAsync(address, _trust, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Is a running resource still answering? (The dashboard's periodic probe.)</summary>
    internal async Task<bool> ProbeAsync(ResourceRuntime runtime, CancellationToken cancellationToken) => runtime.Resource switch
    {
        RedisResource when runtime.Port is { } port => await HealthProbe.RedisAnswersPingAsync(port, RedisPassword, cancellationToken).ConfigureAwait(false),
        ProjectResource { HasEndpoint: true } when runtime.Address is { } address =>
            await HealthProbe.IsHealthyAsync(address, _trust, cancellationToken).ConfigureAwait(false),
        _ => true,
    };

    /// <summary>What a child is given for each running resource it references (Redis: the connection string with its password).</summary>
    private Dictionary<string, string> RunningAddresses() =>
        _runtimes.Values.Where(r => r.State == ResourceState.Running && r.Address is not null)
            .ToDictionary(r => r.Name,
                r => r.Resource is RedisResource ? ChildEnvironment.RedisConnectionString(r.Address!, RedisPassword) : r.Address!,
                StringComparer.Ordinal);
}
