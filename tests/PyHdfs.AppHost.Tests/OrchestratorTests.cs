using System.Diagnostics;
using System.Net;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

/// <summary>The orchestrator with real child processes (FakeService uses the real ServiceDefaults).</summary>
public sealed class OrchestratorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starts_in_dependency_order_and_wires_references_aspire_style()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake).WithEnvironment("Fake__StartDelayMs", "300");
        var b = fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a).WithEnvironment("Custom__Setting", "x");
        fake.Builder.AddProject("c", FakeApplication.Fake).WithReference(b).WaitFor(b);
        var app = fake.Build();

        await app.StartAsync(Token);

        Assert.All(app.Resources, r => Assert.Equal(ResourceState.Running, r.State));
        Assert.True(app["b"].StartedAt >= app["a"].HealthyAt, "b started before a was healthy");
        Assert.True(app["c"].StartedAt >= app["b"].HealthyAt, "c started before b was healthy");
        var wiring = fake.WiringOf("b");
        Assert.Equal(app["a"].Address, wiring["services__a__grpc__0"]);
        Assert.Equal("x", wiring["Custom__Setting"]);
        Assert.Equal("b", wiring["OTEL_SERVICE_NAME"]);
        Assert.Equal(Environment.ProcessId.ToString(), wiring["PYHDFS_PARENT_PID"]);
        Assert.Equal(Path.Combine(fake.DataDirectory, "run", "b.endpoints.json"), wiring["PyHdfs__EndpointsFile"]);
        Assert.Equal(ChildEnvironment.ProjectAddress(app["b"].Port!.Value), app["b"].Address);
        Assert.Equal(app["b"].Pid.ToString(), app["b"].Endpoints["pid"]);
        Assert.True(File.Exists(app["a"].LogPath));
    }

    [Fact]
    public async Task Stop_leaves_no_child_process()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake);
        fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a);
        fake.Builder.AddProject("c", FakeApplication.Fake).WithReference(a).WaitFor(a);
        var app = fake.Build();
        await app.StartAsync(Token);
        var pids = app.Resources.Select(r => r.Pid!.Value).ToList();
        Assert.All(pids, pid => Assert.True(ProcessAssert.IsAlive(pid)));

        await app.StopAsync();

        Assert.All(pids, pid => Assert.False(ProcessAssert.IsAlive(pid), $"pid {pid} still alive"));
        Assert.All(app.Resources, r => Assert.Equal(ResourceState.Stopped, r.State));
    }

    [Fact]
    public async Task A_child_that_exits_while_starting_fails_the_start_with_its_code_and_log()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake).WithEnvironment("Fake__ExitCode", "3");
        fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a);
        var app = fake.Build();

        var error = await Assert.ThrowsAsync<ResourceStartException>(() => app.StartAsync(Token));

        Assert.Equal("a", error.ResourceName);
        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("fake: exiting with 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.FailedToStart, app["a"].State);
        Assert.Equal(ResourceState.NotStarted, app["b"].State);
    }

    [Fact]
    public async Task Kill_then_start_reuses_the_port_so_dependents_stay_wired()
    {
        await using var fake = FakeApplication.Create();
        fake.Builder.AddProject("a", FakeApplication.Fake);
        var app = fake.Build();
        await app.StartAsync(Token);
        var (port, pid) = (app["a"].Port, app["a"].Pid!.Value);

        await app.KillAsync("a");
        Assert.Equal(ResourceState.Exited, app["a"].State);
        Assert.Equal(137, app["a"].ExitCode);
        await ProcessAssert.GoneAsync(pid, "killed child");

        await app.StartAsync("a", Token);
        Assert.Equal(ResourceState.Running, app["a"].State);
        Assert.Equal(port, app["a"].Port);
        Assert.NotEqual(pid, app["a"].Pid);
    }

    [Fact]
    public async Task Restart_of_a_dependency_keeps_its_address()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake);
        fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a);
        var app = fake.Build();
        await app.StartAsync(Token);
        var address = app["a"].Address;

        await app.RestartAsync("a", Token);

        Assert.Equal(address, app["a"].Address);
        Assert.Equal(address, fake.WiringOf("b")["services__a__grpc__0"]);
        Assert.True(await HealthyAsync(address!));
    }

    [Fact]
    public async Task Start_of_a_resource_whose_dependency_is_down_is_refused()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake);
        fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a);
        var app = fake.Build();
        await app.StartAsync(Token);
        await app.StopAsync("b");
        await app.StopAsync("a");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync("b", Token));
        Assert.Contains("a not running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_that_ignores_sigterm_is_killed_after_the_grace_period()
    {
        await using var fake = FakeApplication.Create(o => o.StopGracePeriod = TimeSpan.FromMilliseconds(500));
        fake.Builder.AddProject("a", FakeApplication.Fake).WithEnvironment("Fake__IgnoreSigterm", "true");
        var app = fake.Build();
        await app.StartAsync(Token);
        var pid = app["a"].Pid!.Value;

        await app.StopAsync("a");

        Assert.False(ProcessAssert.IsAlive(pid));
        Assert.Equal(137, app["a"].ExitCode);
    }

    [Fact]
    public async Task A_service_stops_itself_when_its_parent_is_gone()
    {
        using var directory = new TempDirectory();
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var layout = RepositoryLayout.Discover();
        var dll = Path.Combine(layout.Root, "tests", "PyHdfs.AppHost.Tests", "FakeService", "bin", layout.Configuration, "net10.0", "PyHdfs.FakeService.dll");
        var endpoints = directory.Combine("endpoints.json");
        var info = new ProcessStartInfo(RepositoryLayout.DotnetHost(), [dll])
        {
            UseShellExecute = false,
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["PyHdfs__EndpointsFile"] = endpoints;
        info.Environment["PYHDFS_PARENT_PID"] = parent.Id.ToString();
        using var child = Process.Start(info)!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await Eventually.WaitUntilAsync(() => File.Exists(endpoints), TimeSpan.FromSeconds(30), "the fake service to start");
            Assert.False(child.HasExited);

            parent.Kill();
            await parent.WaitForExitAsync(Token);

            await Eventually.WaitUntilAsync(() => child.HasExited, TimeSpan.FromSeconds(20), "the orphaned service to stop itself");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Redis_runs_with_a_pid_file_and_a_stale_one_is_killed_at_the_next_start()
    {
        Assert.SkipWhen(RedisExecutable.Find() is null, "redis-server is not installed (scripts/test.sh installs it)");
        await using var fake = FakeApplication.Create();
        fake.Builder.AddRedis("redis");
        var app = fake.Build();
        Directory.CreateDirectory(Path.Combine(fake.DataDirectory, "run"));
        using var stale = Process.Start(new ProcessStartInfo(RedisExecutable.Find()!, ["--port", FreePort.Next().ToString(), "--bind", "127.0.0.1", "--save", ""])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        await File.WriteAllTextAsync(Path.Combine(fake.DataDirectory, "run", "redis.pid"), stale.Id.ToString(), Token);

        await app.StartAsync(Token);

        await ProcessAssert.GoneAsync(stale.Id, "the stale redis-server");
        Assert.Equal(ChildEnvironment.RedisAddress(app["redis"].Port!.Value), app["redis"].Address);
        Assert.Equal(app["redis"].Pid.ToString(), File.ReadAllText(Path.Combine(fake.DataDirectory, "run", "redis.pid")));
        Assert.True(Directory.Exists(Path.Combine(fake.DataDirectory, "redis")));
        var pid = app["redis"].Pid!.Value;
        await app.StopAsync();
        Assert.False(ProcessAssert.IsAlive(pid));
        Assert.False(File.Exists(Path.Combine(fake.DataDirectory, "run", "redis.pid")));
    }

    private static async Task<bool> HealthyAsync(string address)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, address + "/health")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request, Token);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
