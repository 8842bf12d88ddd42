using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests;

/// <summary>
/// The AppHost executable as a user runs it: one ready line, the cluster file, and no process left
/// after SIGTERM (graceful) or SIGKILL (the services notice their parent is gone).
/// </summary>
public sealed class AppHostProcessTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Prints_one_ready_line_writes_the_cluster_file_and_sigterm_leaves_no_process()
    {
        using var directory = new TempDirectory("pyhdfs-apphost-e2e");
        var clusterFile = directory.Combine("home", "cluster.json");
        await using var apphost = await AppHostProcess.StartAsync(directory, clusterFile);

        var ready = Assert.Single(apphost.Stdout, l => l.StartsWith("PyHDFS ready:", StringComparison.Ordinal));
        Assert.Matches(@"^PyHDFS ready: namenode=http://127\.0\.0\.1:\d+$", ready);
        var cluster = ClusterFile.TryRead(clusterFile);
        Assert.NotNull(cluster);
        Assert.Equal(apphost.Process.Id, cluster.AppHostPid);
        Assert.Equal(ready["PyHDFS ready: namenode=".Length..], Assert.Single(cluster.NameNodes));
        Assert.Equal(File.ReadAllText(clusterFile), File.ReadAllText(Path.Combine(apphost.DataDirectory, "cluster.json")));
        var children = apphost.ChildPids();
        Assert.Equal(5, children.Count); // redis, zookeeper, metadata, namenode, datanode-1

        Assert.True(Posix.SendSigterm(apphost.Process.Id));
        await apphost.Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(0, apphost.Process.ExitCode);
        Assert.All(children, pid => Assert.False(IsAlive(pid), $"child {pid} outlived the AppHost"));
        Assert.False(File.Exists(clusterFile), "the cluster file was left behind");
    }

    [Fact]
    public async Task The_dashboard_runs_the_client_resource_and_ctrl_c_leaves_no_process()
    {
        using var directory = new TempDirectory("pyhdfs-apphost-e2e");
        var clusterFile = directory.Combine("home", "cluster.json");
        await using var apphost = await AppHostProcess.StartAsync(directory, clusterFile);
        var dashboard = ClusterFile.TryRead(clusterFile)?.Dashboard ?? throw new Xunit.Sdk.XunitException("the cluster file names no dashboard");
        Assert.Contains(apphost.Stdout, l => l.Contains($"dashboard: {dashboard}", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri(dashboard) };
        var token = TestContext.Current.CancellationToken;

        using (var start = await http.PostAsync("api/resources/client/start", null, token))
        {
            Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync(token));
        }
        var client = await Eventually.WaitForAsync(async () =>
        {
            var resources = await http.GetFromJsonAsync<JsonElement>("api/resources", token);
            var entry = resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "client");
            return entry.GetProperty("state").GetString() == "exited" ? (JsonElement?)entry : null;
        }, TimeSpan.FromSeconds(90), "the client resource's demo to finish");
        Assert.Equal(0, client.GetValueOrDefault().GetProperty("exitCode").GetInt32());
        var children = apphost.ChildPids();

        Assert.True(Posix.SendSigint(apphost.Process.Id)); // Ctrl+C
        await apphost.Process.WaitForExitAsync(token).WaitAsync(TimeSpan.FromSeconds(60), token);

        Assert.Equal(0, apphost.Process.ExitCode);
        Assert.All(children, pid => Assert.False(IsAlive(pid), $"child {pid} outlived the AppHost"));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/resources", token));
    }

    [Fact]
    public async Task After_sigkill_of_the_apphost_the_services_stop_themselves()
    {
        using var directory = new TempDirectory("pyhdfs-apphost-e2e");
        await using var apphost = await AppHostProcess.StartAsync(directory, directory.Combine("cluster.json"));
        var services = apphost.ChildPids(includeRedis: false);
        Assert.Equal(4, services.Count);

        apphost.Process.Kill();
        await apphost.Process.WaitForExitAsync(TestContext.Current.CancellationToken);

        foreach (var pid in services)
        {
            await Eventually.WaitUntilAsync(() => !IsAlive(pid), TimeSpan.FromSeconds(30), $"service {pid} to stop without its parent");
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary><c>dotnet PyHdfs.AppHost.dll --datanodes 1 --data-dir DIR</c> with its stdout captured.</summary>
    private sealed class AppHostProcess : IAsyncDisposable
    {
        private readonly List<string> _stdout = [];
        private readonly List<string> _stderr = [];

        private AppHostProcess(Process process, string dataDirectory)
        {
            Process = process;
            DataDirectory = dataDirectory;
        }

        public Process Process { get; }

        public string DataDirectory { get; }

        public IReadOnlyList<string> Stdout
        {
            get
            {
                lock (_stdout)
                {
                    return [.. _stdout];
                }
            }
        }

        public static async Task<AppHostProcess> StartAsync(TempDirectory directory, string clusterFile)
        {
            var layout = RepositoryLayout.Discover();
            var dll = Path.Combine(layout.Root, "PyHdfs.AppHost", "bin", layout.Configuration, RepositoryLayout.TargetFramework, "PyHdfs.AppHost.dll");
            var data = directory.Combine("data");
            var info = new ProcessStartInfo(RepositoryLayout.DotnetHost(), [dll, "--datanodes", "1", "--data-dir", data])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory.Path,
            };
            info.Environment["PYHDFS_CLUSTER_FILE"] = clusterFile;
            var process = Process.Start(info)!;
            var apphost = new AppHostProcess(process, data);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (apphost._stdout) { apphost._stdout.Add(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (apphost._stderr) { apphost._stderr.Add(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await Eventually.WaitUntilAsync(() =>
                {
                    Assert.False(process.HasExited, "the AppHost exited: " + string.Join("\n", apphost._stderr));
                    // The ready line comes first; the CLI hints follow it.
                    return apphost.Stdout.Any(l => l.StartsWith("  logs:", StringComparison.Ordinal));
                }, StartDeadline, "the AppHost to print its ready line");
            }
            catch
            {
                await apphost.DisposeAsync();
                throw;
            }
            return apphost;
        }

        public List<int> ChildPids(bool includeRedis = true)
        {
            var run = Path.Combine(DataDirectory, "run");
            var pids = Directory.EnumerateFiles(run, "*.endpoints.json")
                .Select(f => int.Parse(EndpointsFile.TryRead(f)!["pid"], CultureInfo.InvariantCulture))
                .ToList();
            if (includeRedis)
            {
                pids.Add(int.Parse(File.ReadAllText(Path.Combine(run, "redis.pid")), CultureInfo.InvariantCulture));
            }
            return pids;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Posix.SendSigterm(Process.Id);
                if (!Process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    Process.Kill(entireProcessTree: true);
                }
            }
            // redis-server does not watch its parent: after a SIGKILL of the AppHost it is ours to stop.
            var redisPid = Path.Combine(DataDirectory, "run", "redis.pid");
            if (File.Exists(redisPid) && int.TryParse(File.ReadAllText(redisPid), out var pid) && IsAlive(pid))
            {
                using var redis = Process.GetProcessById(pid);
                redis.Kill();
                await redis.WaitForExitAsync();
            }
            Process.Dispose();
        }
    }
}
