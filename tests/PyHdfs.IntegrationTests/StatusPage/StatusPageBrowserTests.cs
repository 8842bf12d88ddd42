using System.Text;
using Microsoft.Playwright;
using PyHdfs.Client;

namespace PyHdfs.IntegrationTests.StatusPage;

/// <summary>
/// The NameNode's status page (docs/namenode-status-page.md) in Debian's headless chromium, on a real
/// cluster: served over HTTP/1.1 on the NameNode's "http" endpoint, read as the web user dr.who.
/// </summary>
[Collection(StandardCluster.Name)]
public sealed class StatusPageBrowserTests(PyHdfsCluster cluster)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task The_overview_shows_three_live_datanodes_and_the_browser_shows_a_put_file_with_its_blocks()
    {
        var ct = TestContext.Current.CancellationToken;
        var content = Encoding.UTF8.GetBytes("hello from the status page test\n");
        await using (var output = await cluster.Client.CreateAsync("/status-page/hello.txt", new DfsCreateOptions(), ct))
        {
            await output.WriteAsync(content, ct);
            await output.CloseAsync(ct);
        }
        var statusPage = cluster.Endpoint("namenode", "http");
        var screenshots = Directory.CreateTempSubdirectory("pyhdfs-status-page-").FullName;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // This machine: no user namespaces for the sandbox, a small /dev/shm, no GPU; no browser is downloaded.
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(30_000);

        var overview = await page.GotoAsync(statusPage.ToString());
        Assert.Equal(200, overview!.Status);
        await Assertions.Expect(page.Locator("#role")).ToHaveTextAsync("active");
        await Assertions.Expect(page.Locator("#live-datanodes")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#live-nodes tr[data-datanode]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#safe-mode")).ToContainTextAsync("OFF");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "overview.png"), FullPage = true });

        await page.ClickAsync("nav a[href^='/explorer']");
        await page.ClickAsync("#listing tr[data-name='status-page'] a");
        var file = page.Locator("#listing tr[data-name='hello.txt']");
        await Assertions.Expect(file).ToHaveAttributeAsync("data-type", "file");
        await Assertions.Expect(file).ToContainTextAsync($"{content.Length} B");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "directory.png"), FullPage = true });

        await file.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#blocks tr[data-block-id]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#blocks tr[data-block-id] td").Last).ToContainTextAsync("datanode-");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "file.png"), FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshots: {screenshots}");
    }
}
