using System.Text.Json;
using Microsoft.Playwright;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Dashboard;

/// <summary>One local host + Chromium over the normal sample, shared by the tests of <see cref="DashboardBrowserTests"/>.</summary>
public sealed class NormalDashboardFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DashboardBrowser? _browser;

    internal async Task<DashboardBrowser> GetAsync(CancellationToken cancellationToken)
    {
        DashboardBrowser.RequireChromium();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _browser ??= await DashboardBrowser.StartAsync(DashboardSample.Normal, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _gate.Dispose();
    }
}

/// <summary>The dashboard in a real browser (Debian's Chromium), served by the local host over a seeded Azurite.</summary>
public sealed class DashboardBrowserTests(NormalDashboardFixture fixture) : IClassFixture<NormalDashboardFixture>
{
    private const string CanvasesJs = """
        () => Array.from(document.querySelectorAll('canvas')).map(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) painted++; }
          return { id: c.id, width: c.width, height: c.height, painted, rendered: c.dataset.rendered === 'true',
                   label: c.getAttribute('aria-label') || '', role: c.getAttribute('role') || '' };
        })
        """;

    [Fact]
    public async Task Dashboard_shows_the_regime_scenarios_and_rendered_charts_without_errors_or_outside_requests()
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = await fixture.GetAsync(ct);
        await using var recorded = await browser.NewPageAsync();
        var page = recorded.Page;

        var response = await page.GotoAsync(browser.DashboardUri + "?days=90", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("html[data-charts='ready']", new PageWaitForSelectorOptions { Timeout = 15_000 });

        // Regime banner with headline, as-of and the provisional mark.
        var banner = page.Locator("#regime-banner");
        Assert.Equal("Reset", await banner.GetAttributeAsync("data-regime"));
        Assert.Equal(DashboardSample.Normal.Headline, await page.Locator("#regime-headline").TextContentAsync());
        Assert.Contains("Tue 11 Nov 2025", await banner.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Provisional", await page.Locator("#provisional").InnerTextAsync(), StringComparison.Ordinal);

        // Three scenario cards with status, progress and conditions stated in text.
        Assert.Equal(3, await page.Locator("article.scenario").CountAsync());
        var rebuild = await page.Locator("#scenario-Rebuild").InnerTextAsync();
        Assert.Contains("Building", rebuild, StringComparison.Ordinal);
        Assert.Contains("1 of 3", rebuild, StringComparison.Ordinal);
        Assert.Contains("Not met", rebuild, StringComparison.Ordinal);
        Assert.Contains("Unknown", rebuild, StringComparison.Ordinal);
        Assert.Contains("Met", rebuild.Replace("Not met", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Stale", await page.Locator("tr[data-dataset='derivatives']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("li.signal").CountAsync());

        // Five charts of the tape and the Evidence section's two (issue #16), each drawn (non-transparent pixels), each with an accessible name.
        var canvases = await page.EvaluateAsync<JsonElement>(CanvasesJs);
        var ids = canvases.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(["chart-flows", "chart-weekly", "chart-basis", "chart-derivatives", "chart-timeline", "chart-evidence-price", "chart-evidence-sweep"], ids);
        foreach (var canvas in canvases.EnumerateArray())
        {
            var id = canvas.GetProperty("id").GetString();
            Assert.True(canvas.GetProperty("rendered").GetBoolean(), $"{id} was not rendered");
            Assert.True(canvas.GetProperty("painted").GetInt32() > 500, $"{id} is blank ({canvas.GetProperty("painted").GetInt32()} painted pixels)");
            Assert.Equal("img", canvas.GetProperty("role").GetString());
            Assert.True(canvas.GetProperty("label").GetString()!.Length > 20, $"{id} has no accessible name");
        }

        // Chart.js holds the aligned series, ending with the as-of session.
        var flows = await page.EvaluateAsync<JsonElement>("() => { const c = Chart.getChart('chart-flows'); return { labels: c.data.labels.length, lastLabel: c.data.labels.at(-1), last: c.data.datasets[0].data.at(-1), annotations: Object.keys(c.options.plugins.annotation.annotations) }; }");
        Assert.Equal("2025-11-11", flows.GetProperty("lastLabel").GetString());
        Assert.Equal(63, flows.GetProperty("labels").GetInt32()); // NYSE sessions 13 Aug – 11 Nov 2025
        Assert.Equal(524.0m, flows.GetProperty("last").GetDecimal());
        Assert.Contains("snapback", flows.GetProperty("annotations").EnumerateArray().Select(a => a.GetString()));

        // Charts' data tables are there as a text fallback.
        Assert.Equal(7, await page.Locator("figure.chart canvas").CountAsync());

        // Evidence on the stored history: the price with each episode shaded, the table against the baseline, the sweep.
        var evidence = await page.EvaluateAsync<JsonElement>("""
            () => {
              const price = Chart.getChart('chart-evidence-price');
              const sweep = Chart.getChart('chart-evidence-sweep');
              const data = JSON.parse(document.getElementById('evidence-data').textContent);
              return { points: price.data.datasets[0].data.length, boxes: Object.keys(price.options.plugins.annotation.annotations).length,
                       episodes: data.episodes.length, firstLabel: price.data.labels[0], sweepLines: sweep.data.datasets.length,
                       sweepValues: sweep.data.labels, rows: document.querySelectorAll('#evidence-table tbody tr').length };
            }
            """);
        Assert.Equal(51, evidence.GetProperty("points").GetInt32()); // the stored sessions 2 Sep – 11 Nov 2025, each with a close
        Assert.Equal("2025-09-02", evidence.GetProperty("firstLabel").GetString());
        Assert.Equal(evidence.GetProperty("episodes").GetInt32(), evidence.GetProperty("boxes").GetInt32());
        Assert.Equal(9, evidence.GetProperty("rows").GetInt32());
        Assert.Equal(2, evidence.GetProperty("sweepLines").GetInt32());
        Assert.Equal(["100", "150", "200", "250", "300"], evidence.GetProperty("sweepValues").EnumerateArray().Select(v => v.GetString()));
        var evidenceText = await page.Locator("#evidence").InnerTextAsync();
        Assert.Contains("descriptive, not advice", evidenceText, StringComparison.Ordinal);
        Assert.Contains("closes: bundled Binance BTCUSDT daily closes", evidenceText, StringComparison.Ordinal);
        Assert.True(await page.Locator("#figure-flows details table tbody tr").CountAsync() >= 50);

        var shot = DashboardBrowser.ArtifactPath("dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 20_000, "the screenshot is suspiciously small");

        Assert.Empty(recorded.ConsoleErrors);
        Assert.Empty(recorded.External);
        Assert.Empty(recorded.Dialogs);
        Assert.All(recorded.Requests, url => Assert.True(DashboardBrowser.IsLoopback(url), url));
        Assert.Contains(recorded.Requests, url => url.Contains("/api/dashboard/assets/chart.umd.min.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_is_readable_at_phone_width()
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = await fixture.GetAsync(ct);
        await using var recorded = await browser.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        var page = recorded.Page;
        await page.GotoAsync(browser.DashboardUri.ToString());
        await page.WaitForSelectorAsync("html[data-charts='ready']", new PageWaitForSelectorOptions { Timeout = 15_000 });

        // No horizontal scrolling of the page itself (wide tables scroll inside their own box).
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone viewport");
        var cardWidth = await page.EvaluateAsync<double>("() => document.querySelector('#scenario-Caution').getBoundingClientRect().width");
        Assert.InRange(cardWidth, 300, 390);
        var canvases = await page.EvaluateAsync<JsonElement>(CanvasesJs);
        Assert.Equal(7, canvases.GetArrayLength()); // the tape's five and the Evidence section's two
        Assert.All(canvases.EnumerateArray(), c => Assert.True(c.GetProperty("painted").GetInt32() > 500, c.GetProperty("id").GetString()));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = DashboardBrowser.ArtifactPath("dashboard-phone.png"), FullPage = true });
        Assert.Empty(recorded.ConsoleErrors);
        Assert.Empty(recorded.External);
    }

    [Fact]
    public async Task Local_host_serves_the_page_its_assets_and_a_problem_for_a_bad_window()
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = await fixture.GetAsync(ct);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(browser.DashboardUri + "?days=0"), ct);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{response.StatusCode}: {browser.HostOutput}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("days", doc.RootElement.GetProperty("parameter").GetString());

        using var asset = await http.GetAsync(new Uri($"http://localhost:{browser.Port}/api/dashboard/assets/chart.umd.min.js"), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Source text that carries markup, in a real browser with the CSP bypassed (its own host: the current evaluation is one row).</summary>
public sealed class DashboardHostileTextTests
{
    [Fact]
    public async Task Markup_in_scraped_text_is_shown_literally_and_never_executed()
    {
        var ct = TestContext.Current.CancellationToken;
        var sample = DashboardSample.Hostile;
        await using var browser = await DashboardBrowser.StartAsync(sample, ct);

        // Bypass the CSP: this proves the encoding itself, not only the policy, keeps the payloads inert.
        await using var recorded = await browser.NewPageAsync(new BrowserNewContextOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = recorded.Page;
        var response = await page.GotoAsync(browser.DashboardUri.ToString());
        Assert.NotNull(response);
        var source = await response.TextAsync();
        Assert.DoesNotContain("<script>window.__xss", source, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;window.__xss", source, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("html[data-charts='ready']", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await page.WaitForTimeoutAsync(300); // give any injected handler (there must be none) a chance to run

        Assert.Equal(0, await page.Locator("img").CountAsync());
        // The chart data and the evidence data: JSON, never executed; then the three scripts served by the app.
        var scripts = await page.EvaluateAsync<string[]>("() => Array.from(document.scripts).map(s => s.src ? new URL(s.src).pathname : 'inline:' + s.type)");
        Assert.Equal(
            ["inline:application/json", "inline:application/json", "/api/dashboard/assets/chart.umd.min.js", "/api/dashboard/assets/chartjs-plugin-annotation.min.js", "/api/dashboard/assets/dashboard.js"],
            scripts);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
        Assert.Empty(recorded.Dialogs);

        // The text is visible literally where it belongs.
        Assert.Equal(sample.Headline, await page.Locator("#regime-headline").TextContentAsync());
        Assert.Contains(sample.FundName, await page.Locator("table.fund-table").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(sample.SessionSource, await page.Locator("section.funds .source").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains(DashboardSample.ImgPayload, await page.Locator("#scenario-Caution").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(DashboardSample.ImgPayload, await page.Locator("tr[data-dataset='etf-flows']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Tapewatch — Reset", await page.TitleAsync(), StringComparison.Ordinal);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = DashboardBrowser.ArtifactPath("dashboard-hostile.png"), FullPage = false });
        Assert.Empty(recorded.ConsoleErrors);
        Assert.Empty(recorded.External);
    }
}
