using Microsoft.Playwright;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>Aspire's dashboard of a real AppHost: its resource grid in a browser, and a put's trace through its telemetry API.</summary>
public sealed class DashboardTests(SharedAppHost shared) : IClassFixture<SharedAppHost>
{
    private static readonly string[] ClusterResources = ["redis", "zookeeper", "metadata", "namenode", "datanode-1", "datanode-2", "datanode-3"];

    private AppHostProcess AppHost => shared.AppHost;

    [Fact]
    public async Task The_resource_grid_lists_every_resource_and_the_cluster_running()
    {
        await using var browser = await DashboardBrowser.OpenAsync(AppHost.LoginUrl);
        var page = browser.Page;
        // Blazor Server renders the grid after its circuit connects: wait for the last resource's row.
        await browser.WaitForTextAsync("datanode-3", TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(3));
        var rows = page.Locator("tr, [role=row]");
        await Eventually.WaitUntilAsync(async () =>
        {
            foreach (var name in ClusterResources)
            {
                var row = rows.Filter(new LocatorFilterOptions { Has = page.GetByText(name, new PageGetByTextOptions { Exact = true }) });
                if (await row.CountAsync() == 0 || !(await row.First.InnerTextAsync()).Contains("Running", StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(120), "every cluster resource's row to say Running");
        var screenshot = await browser.ScreenshotAsync("resources");

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (nearly) empty");
        var text = await page.InnerTextAsync("body");
        foreach (var name in ClusterResources.Append("client"))
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Unhealthy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to start", text, StringComparison.Ordinal);
        var client = rows.Filter(new LocatorFilterOptions { Has = page.GetByText("client", new PageGetByTextOptions { Exact = true }) });
        Assert.DoesNotContain("Running", await client.First.InnerTextAsync(), StringComparison.Ordinal); // explicit start: not started with the cluster
    }

    [Fact]
    public async Task A_traced_put_is_one_trace_over_client_namenode_metadata_and_the_whole_pipeline()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var local = Path.Combine(AppHost.WorkingDirectory, "three-mib.bin");
        await File.WriteAllBytesAsync(local, TestData.Random(3 << 20, seed: 11), cancellation);

        // HOME is AppHost.WorkingDirectory/home: the CLI finds the cluster through ~/.pyhdfs/cluster.json, as a user's does.
        var put = await CliRunner.RunAsync(null, null, ["put", "--trace", local, "/traced/three-mib.bin"], AppHost.WorkingDirectory);
        Assert.True(put.ExitCode == 0, put.ToString());
        var traceId = Assert.Single(put.StderrLines, l => l.StartsWith("trace id: ", StringComparison.Ordinal))["trace id: ".Length..].Trim();
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        // Spans reach the dashboard in batches (1 s apart in Development): wait until the last DataNode's has come.
        IReadOnlyList<TelemetrySpan> spans = [];
        string[] pipeline = [];
        await Eventually.WaitUntilAsync(async () =>
        {
            spans = await TelemetrySpan.ReadTraceAsync(AppHost.ClusterFile, traceId, cancellation);
            pipeline = spans.FirstOrDefault(s => s.Name.StartsWith("write block ", StringComparison.Ordinal))?.Attributes.GetValueOrDefault("pyhdfs.datanodes")?.Split(',') ?? [];
            return pipeline.Length > 0 && pipeline.All(d => spans.Any(s => s.Service == d && s.Name.StartsWith("datanode write ", StringComparison.Ordinal)))
                && spans.Any(s => s.Service == "metadata") && spans.Any(s => s.Name == "namenode Complete /traced/three-mib.bin");
        }, TimeSpan.FromSeconds(60), $"trace {traceId} to reach the dashboard with every service's spans");

        Assert.Equal(["datanode-1", "datanode-2", "datanode-3"], pipeline.Order());
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));
        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        Assert.Equal(("client", "put /traced/three-mib.bin"), (root.Service, root.Name));
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Where(s => s != root), s => Assert.Contains(s.ParentSpanId!, ids)); // one connected tree, nothing orphaned
        Assert.Contains(spans, s => s.Service == "namenode" && s.Name == "namenode Create /traced/three-mib.bin");
        Assert.Contains(spans, s => s.Service == "metadata" && s.Name == "journal append");

        var trace = await CliRunner.RunAsync(null, null, ["trace", traceId], AppHost.WorkingDirectory);
        Assert.True(trace.ExitCode == 0, trace.ToString());
        var lines = trace.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\d+ spans, \d+\.\d ms, services: client, namenode, metadata, datanode-\d, datanode-\d, datanode-\d$", lines[0]);
        Assert.Matches(@"^client +put /traced/three-mib\.bin  \d+\.\d ms \(\+0\.0 ms\)", lines[1]);
        foreach (var datanode in pipeline)
        {
            Assert.Contains(lines, l => l.TrimStart().StartsWith(datanode, StringComparison.Ordinal) && l.Contains("datanode write blk_", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(lines, l => l.Contains("Grpc.Net.Client.GrpcOut", StringComparison.Ordinal)); // transport spans hidden without --all
    }
}
