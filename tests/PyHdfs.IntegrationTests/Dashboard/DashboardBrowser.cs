using Microsoft.Playwright;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>
/// Debian's chromium driven by Playwright, headless, with the flags this machine needs (no user
/// namespaces for the sandbox, a small /dev/shm, no GPU). No browser is downloaded.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<DashboardBrowser> OpenAsync(string url)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (scripts/test.sh does it as root)");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(url);
        return new DashboardBrowser(playwright, browser, page);
    }

    /// <summary>
    /// Waits until <paramref name="text"/> is shown. Under a loaded machine the dashboard's Blazor circuit can
    /// connect late or drop: a page that has not rendered the text in <paramref name="perAttempt"/> is reloaded,
    /// until <paramref name="deadline"/> has passed (then a screenshot is kept for the failure).
    /// </summary>
    public async Task WaitForTextAsync(string text, TimeSpan perAttempt, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var target = Page.GetByText(text, new PageGetByTextOptions { Exact = true }).First;
        while (true)
        {
            try
            {
                await target.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)perAttempt.TotalMilliseconds });
                return;
            }
            catch (TimeoutException) when (clock.Elapsed < deadline)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{text} not shown after {clock.Elapsed.TotalSeconds:0} s: reloading the dashboard");
                await Page.ReloadAsync();
            }
            catch (TimeoutException e)
            {
                var screenshot = await ScreenshotAsync("timeout-" + text);
                throw new TimeoutException($"the dashboard did not show {text} within {deadline.TotalSeconds:0} s (screenshot: {screenshot})", e);
            }
        }
    }

    /// <summary>Saves a full-page screenshot under screenshots/ in the test's output directory and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
