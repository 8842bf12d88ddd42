using System.Diagnostics;
using System.Text.RegularExpressions;
using PyHdfs.AppHost;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>
/// The built AppHost run as a user runs it (<c>dotnet PyHdfs.AppHost.dll --data-dir DIR</c>), with the dashboard,
/// its OTLP receiver and the resource service on free ports, until it prints <c>PyHDFS ready: namenode=…</c>.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    public const string ReadyPrefix = "PyHDFS ready: namenode=";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);

    private readonly List<string> _output = [];
    private readonly TempDirectory _directory;

    private AppHostProcess(Process process, TempDirectory directory)
    {
        Process = process;
        _directory = directory;
    }

    public Process Process { get; }

    public string DataDirectory => _directory.Combine("data");

    /// <summary>The user's cluster file (--PyHdfs:ClusterFile); the AppHost writes DATA/cluster.json too.</summary>
    public string ClusterFilePath => _directory.Combine("home", ".pyhdfs", "cluster.json");

    public string WorkingDirectory => _directory.Path;

    /// <summary>What the AppHost printed, stdout and stderr interleaved.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public ClusterFile ClusterFile => ClusterFile.TryRead(ClusterFilePath) ?? throw new InvalidOperationException($"{ClusterFilePath} is missing or unreadable");

    /// <summary>The login URL Aspire prints (<c>http://127.0.0.1:PORT/login?t=TOKEN</c>).</summary>
    public string LoginUrl => Output.Select(l => LoginUrlPattern().Match(l)).FirstOrDefault(m => m.Success)?.Groups["url"].Value
        ?? throw new InvalidOperationException("the AppHost printed no dashboard login URL:\n" + string.Join("\n", Output));

    public static async Task<AppHostProcess> StartAsync(params string[] arguments)
    {
        var directory = new TempDirectory("pyhdfs-apphost");
        var layout = RepositoryLayout.Current;
        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.Path,
        };
        info.ArgumentList.Add(layout.AppHostAssembly);
        foreach (var argument in (string[])["--data-dir", directory.Combine("data"), $"--PyHdfs:ClusterFile={directory.Combine("home", ".pyhdfs", "cluster.json")}", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var inherited in (string[])["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "PYHDFS_CLUSTER_FILE"])
        {
            info.Environment.Remove(inherited);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the AppHost");
        var apphost = new AppHostProcess(process, directory);
        process.OutputDataReceived += (_, e) => apphost.Record(e.Data);
        process.ErrorDataReceived += (_, e) => apphost.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitUntilAsync(() =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the AppHost exited ({process.ExitCode}):\n" + string.Join("\n", apphost.Output));
                }
                return apphost.Output.Any(l => l.StartsWith(ReadyPrefix, StringComparison.Ordinal));
            }, StartDeadline, "the AppHost's ready line");
        }
        catch (Exception e)
        {
            await apphost.DisposeAsync();
            throw new InvalidOperationException(e.Message + "\nAppHost output:\n" + string.Join("\n", apphost.Output), e);
        }
        return apphost;
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    /// <summary>Waits until none of <paramref name="processes"/> runs; returns those still running at the deadline.</summary>
    public static async Task<IReadOnlyList<SeenProcess>> SurvivorsAfterAsync(IReadOnlyList<SeenProcess> processes, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (processes.Any(p => p.IsAlive) && clock.Elapsed < deadline)
        {
            await Task.Delay(200);
        }
        return [.. processes.Where(p => p.IsAlive)];
    }

    public async ValueTask DisposeAsync()
    {
        var cluster = Process.HasExited ? [] : ClusterProcesses.Of(Process.Id);
        if (!Process.HasExited)
        {
            ProcessTree.Signal(Process.Id, ProcessTree.SigTerm);
            using var stop = new CancellationTokenSource(StopDeadline);
            try
            {
                await Process.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        // Whatever of this cluster outlives a graceful stop is this test's to end (by pid and start time, never by name).
        foreach (var survivor in await SurvivorsAfterAsync(cluster, TimeSpan.FromSeconds(30)))
        {
            try
            {
                ProcessTree.Signal(survivor.Pid, ProcessTree.SigKill);
            }
            catch (InvalidOperationException)
            {
                // it ended meanwhile
            }
        }
        Process.Dispose();
        _directory.Dispose();
    }

    [GeneratedRegex(@"Login to the dashboard at (?<url>http://\S+/login\?t=\w+)")]
    private static partial Regex LoginUrlPattern();
}
