using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PyHdfs.AppHost.Hosting;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>The AppHost's dashboard in a real headless browser, on a real cluster.</summary>
public sealed partial class DashboardBrowserTests(PyHdfsCluster cluster) : IClassFixture<PyHdfsCluster>
{
    private static readonly string[] ClusterResources = ["redis", "zookeeper", "metadata", "namenode", "datanode-1", "datanode-2", "datanode-3"];

    [Fact]
    public async Task After_the_client_resource_puts_a_file_every_resource_is_healthy_and_the_waterfall_shows_each_service_of_the_put()
    {
        // The client resource is the real CLI's demo, started on request like a user's click would.
        await cluster.App.StartAsync("client", TestContext.Current.CancellationToken);
        var client = cluster.App["client"];
        await Eventually.WaitUntilAsync(() => client.State == ResourceState.Exited, TimeSpan.FromSeconds(90), "the client's demo to finish");
        var output = string.Join("\n", client.Logs.Tail(50));
        Assert.True(client.ExitCode == 0, $"the demo exited with {client.ExitCode}: {output}");
        Assert.Contains("verified:", output, StringComparison.Ordinal);
        var traceId = PutTraceId().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no put trace id in: {output}");
        var trace = await ReceivedTrace.WaitForAsync(cluster.App, traceId, t =>
            t.Named("client", "write block").Any()
            && t.Named("client", "write block").All(b => t.Descendants(b).Count(s => s.Name.StartsWith("datanode write", StringComparison.Ordinal)) == PyHdfsCluster.Replication)
            && t.Spans.Any(s => s.Service == "metadata"), "the spans of the demo's put");
        var pipeline = trace.Named("client", "write block").SelectMany(b => b.Attributes["pyhdfs.datanodes"].Split(',')).Distinct().ToList();

        await using var browser = await DashboardBrowser.OpenAsync(cluster.App.Dashboard.Url);
        var page = browser.Page;
        foreach (var name in ClusterResources)
        {
            await Assertions.Expect(page.Locator($"tr[data-resource='{name}']")).ToHaveAttributeAsync("data-state", "healthy");
        }
        await Assertions.Expect(page.Locator("tr[data-resource='client'] .state-cell")).ToContainTextAsync("exit code 0");

        await page.ClickAsync("nav button[data-tab='traces']");
        await page.ClickAsync($"tr[data-trace-id='{traceId}']");
        await Assertions.Expect(page.Locator("#waterfall .span-row[data-service='metadata']").First).ToBeVisibleAsync();
        var services = await page.Locator("#waterfall .span-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)");
        Assert.Contains("client", services);
        Assert.Contains("namenode", services);
        Assert.Contains("metadata", services);
        Assert.All(pipeline, datanode => Assert.Contains(datanode, services));
        await Assertions.Expect(page.Locator("#waterfall .span-row .name").First).ToHaveTextAsync(new Regex("^put /demo/"));

        await page.Locator($"#waterfall .span-row[data-service='{pipeline[0]}']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#span-attributes")).ToContainTextAsync("pyhdfs.block_id");
        await browser.ScreenshotAsync("put-trace");

        await page.ClickAsync("nav button[data-tab='console']");
        await page.SelectOptionAsync("#console-resource", "client");
        await Assertions.Expect(page.Locator("#console-lines")).ToContainTextAsync("verified:");

        await page.ClickAsync("nav button[data-tab='cluster']");
        await Assertions.Expect(page.Locator("#datanode-rows tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#cluster-summary")).ToContainTextAsync("Live DataNodes3");
        await browser.ScreenshotAsync("cluster");
    }

    [Fact]
    public async Task A_crashed_datanode_is_shown_exited_with_its_code_and_the_restart_button_brings_it_back()
    {
        const string name = "datanode-3";
        var runtime = cluster.App[name];
        var crashedPid = runtime.Pid!.Value;
        using (var process = Process.GetProcessById(crashedPid))
        {
            process.Kill(); // SIGKILL from outside the AppHost: a crash, not a stop it asked for
        }

        await using var browser = await DashboardBrowser.OpenAsync(cluster.App.Dashboard.Url);
        var row = browser.Page.Locator($"tr[data-resource='{name}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "exited");
        await Assertions.Expect(row.Locator(".state-cell")).ToContainTextAsync("exit code 137");
        await browser.ScreenshotAsync("crashed-datanode");

        await row.Locator("button[data-operation='restart']").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "healthy", new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("1");
        Assert.Equal(ResourceState.Running, runtime.State);
        Assert.NotEqual(crashedPid, runtime.Pid);
        await cluster.WaitForLiveDataNodesAsync(3);
    }

    [GeneratedRegex(@"^put \S+: .* trace id ([0-9a-f]{32})$", RegexOptions.Multiline)]
    private static partial Regex PutTraceId();
}
