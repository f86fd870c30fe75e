using System.Collections.Concurrent;
using Microsoft.Playwright;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.IntegrationTests.Foundation;
using Tapewatch.Local.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Dashboard;

/// <summary>
/// A private Azurite seeded with <see cref="DashboardSample"/>, the local host over it, and Debian's
/// Chromium driven by Playwright (never a downloaded browser). Every request that does not go to
/// loopback is recorded and aborted.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly CancellationTokenSource _hostStop = new();
    private AzuriteProcess? _azurite;
    private Task<int>? _host;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public int Port { get; private set; }

    public Uri DashboardUri => new($"http://localhost:{Port}/api/dashboard");

    public StringWriter HostOutput { get; } = new();

    /// <summary>Chromium path (TAPEWATCH_CHROMIUM overrides); skips without it locally, fails under CI=true.</summary>
    public static string RequireChromium()
    {
        var path = Environment.GetEnvironmentVariable("TAPEWATCH_CHROMIUM") is { Length: > 0 } p ? p : DefaultChromium;
        if (File.Exists(path)) return path;
        var message = $"Chromium not found at {path}: install Debian's package (apt-get install -y chromium; .ci/run does this) or set TAPEWATCH_CHROMIUM.";
        if (TestPaths.IsCi) Assert.Fail("CI=true but " + message);
        Assert.Skip(message);
        return path;
    }

    public static async Task<DashboardBrowser> StartAsync(DashboardSample sample, CancellationToken cancellationToken, bool launchBrowser = true)
    {
        var chromium = launchBrowser ? RequireChromium() : null;
        var browser = new DashboardBrowser();
        try
        {
            // A private Azurite: the current evaluation is one fixed row shared by every test of the assembly.
            try
            {
                browser._azurite = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
            }
            catch (AzuriteUnavailableException ex)
            {
                if (TestPaths.IsCi) throw;
                Assert.Skip("Azurite is not available: " + ex.Message);
            }

            await sample.SeedAsync(browser._azurite!.ConnectionString, cancellationToken);

            browser.Port = LocalHostTests.FreePort();
            var host = new LocalHost(
                new LocalHostOptions { Port = browser.Port, StorageConnectionString = browser._azurite.ConnectionString, RunStartupCycle = false, EnableScheduler = false },
                TextWriter.Synchronized(browser.HostOutput),
                TextWriter.Synchronized(browser.HostOutput));
            browser._host = host.RunAsync(browser._hostStop.Token);
            using var http = new HttpClient();
            using (var health = await LocalHostTests.PollAsync(http, new Uri($"http://localhost:{browser.Port}/api/health"), cancellationToken))
            {
                health.EnsureSuccessStatusCode();
            }

            if (chromium is null) return browser;
            browser._playwright = await Playwright.CreateAsync();
            browser.Browser = await browser._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>A page that records console errors, page errors, dialogs and every request; non-loopback requests are aborted.</summary>
    public async Task<RecordedPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var recorded = new RecordedPage(context);
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            recorded.Requests.Add(url);
            if (IsLoopback(url))
            {
                await route.ContinueAsync();
            }
            else
            {
                recorded.External.Add(url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") recorded.ConsoleErrors.Add("console: " + message.Text);
        };
        page.PageError += (_, error) => recorded.ConsoleErrors.Add("pageerror: " + error);
        page.Dialog += async (_, dialog) =>
        {
            recorded.Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        page.RequestFailed += (_, request) =>
        {
            if (IsLoopback(request.Url)) recorded.ConsoleErrors.Add("requestfailed: " + request.Url);
        };
        recorded.Page = page;
        return recorded;
    }

    internal static bool IsLoopback(string url)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal)) return true;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host is "localhost" or "127.0.0.1" or "[::1]");
    }

    public static string ArtifactPath(string fileName)
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_playwright is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await _hostStop.CancelAsync();
        if (_host is not null)
        {
            try
            {
                await _host;
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_azurite is not null) await _azurite.DisposeAsync();
        _hostStop.Dispose();
    }
}

internal sealed class RecordedPage(IBrowserContext context) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; set; } = null!;

    public ConcurrentBag<string> Requests { get; } = [];

    public ConcurrentBag<string> External { get; } = [];

    public ConcurrentBag<string> ConsoleErrors { get; } = [];

    public ConcurrentBag<string> Dialogs { get; } = [];

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
