using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.AppHost.Tests;

/// <summary>The dashboard's JSON API over real child processes (FakeService): states, operations, errors.</summary>
public sealed class DashboardApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ResourceAsync(HttpClient http, string name)
    {
        var resources = await http.GetFromJsonAsync<JsonElement>("api/resources", Token);
        return resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
    }

    private static async Task<string?> StateAsync(HttpClient http, string name) =>
        (await ResourceAsync(http, name)).GetProperty("state").GetString();

    [Fact]
    public async Task Stop_and_start_from_the_api_change_the_state_and_count_the_restart()
    {
        await using var fake = FakeApplication.Create();
        var a = fake.Builder.AddProject("a", FakeApplication.Fake);
        fake.Builder.AddProject("b", FakeApplication.Fake).WithReference(a).WaitFor(a);
        var app = fake.Build();
        await app.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = new Uri(app.Dashboard.Url) };
        Assert.Equal("healthy", await StateAsync(http, "b"));
        Assert.Equal(app["b"].Pid, (await ResourceAsync(http, "b")).GetProperty("pid").GetInt32());

        using (var stop = await http.PostAsync("api/resources/a/stop", null, Token))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }
        Assert.Equal("stopped", await StateAsync(http, "a"));
        using (var refused = await http.PostAsync("api/resources/b/restart", null, Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("a not running", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }
        using (var start = await http.PostAsync("api/resources/a/start", null, Token))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        var restarted = await ResourceAsync(http, "a");
        Assert.Equal("healthy", restarted.GetProperty("state").GetString());
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());
        using var unknown = await http.PostAsync("api/resources/ghost/start", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_running_service_that_stops_answering_is_shown_unhealthy_and_healthy_again_when_it_answers()
    {
        await using var fake = FakeApplication.Create();
        fake.Builder.AddProject("a", FakeApplication.Fake);
        var app = fake.Build();
        await app.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = new Uri(app.Dashboard.Url) };
        var pid = app["a"].Pid!.Value;
        try
        {
            Signal("STOP", pid); // frozen: the process is there but /health does not answer
            await Eventually.WaitUntilAsync(async () => await StateAsync(http, "a") == "unhealthy", TimeSpan.FromSeconds(30), "a to be shown unhealthy");
        }
        finally
        {
            Signal("CONT", pid);
        }
        await Eventually.WaitUntilAsync(async () => await StateAsync(http, "a") == "healthy", TimeSpan.FromSeconds(30), "a to be shown healthy again");
    }

    [Fact]
    public async Task The_console_api_returns_only_the_lines_after_the_position_asked_for()
    {
        await using var fake = FakeApplication.Create();
        fake.Builder.AddProject("a", FakeApplication.Fake);
        var app = fake.Build();
        await app.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = new Uri(app.Dashboard.Url) };

        var all = await http.GetFromJsonAsync<JsonElement>("api/resources/a/logs", Token);
        var next = all.GetProperty("next").GetInt64();
        Assert.Equal(app["a"].Logs.Snapshot().Count, all.GetProperty("lines").GetArrayLength());
        var none = await http.GetFromJsonAsync<JsonElement>($"api/resources/a/logs?after={next}", Token);

        Assert.True(next > 0, "the fake service logged nothing");
        Assert.True(none.GetProperty("next").GetInt64() >= next);
        Assert.Equal(0, none.GetProperty("lines").GetArrayLength() - (int)(none.GetProperty("next").GetInt64() - next));
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
