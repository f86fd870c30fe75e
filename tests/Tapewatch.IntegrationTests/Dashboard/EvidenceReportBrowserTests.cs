using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using Tapewatch.Local.Commands;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Dashboard;

/// <summary><c>backtest --report</c> on the real flows, opened from disk in Debian's Chromium with every network request refused.</summary>
public sealed class EvidenceReportBrowserTests
{
    [Fact]
    public async Task The_report_opens_offline_with_its_charts_drawn_and_the_evidence_table()
    {
        var chromium = DashboardBrowser.RequireChromium();
        var directory = Directory.CreateTempSubdirectory("tw-report-");
        try
        {
            var report = new FileInfo(Path.Combine(directory.FullName, "evidence.html"));
            var json = new StringWriter();
            var error = new StringWriter();
            var flows = new FileInfo(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
            var code = await BacktestCommand.RunAsync(
                new BacktestArguments(flows, null, null, null, null, Json: true) { Sweep = "Rebuild.MinDailyFlowUsdM=150..300:50", Report = report },
                new ConfigurationBuilder().Build(), json, error, TestContext.Current.CancellationToken);
            Assert.True(code == 0, error.ToString());
            Assert.True(report.Exists);
            using var result = JsonDocument.Parse(json.ToString());
            var episodes = result.RootElement.GetProperty("episodes").GetArrayLength();
            Assert.Equal(60, episodes); // Rebuild 23, Caution 21, Snapback 16

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
                Timeout = 60_000,
            });
            var page = await browser.NewPageAsync();
            var problems = new List<string>();
            var requests = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
            page.PageError += (_, e) => problems.Add(e);
            await page.RouteAsync("**/*", async route =>
            {
                requests.Add(route.Request.Url);
                if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal)) await route.ContinueAsync();
                else await route.AbortAsync();
            });
            await page.GotoAsync(new Uri(report.FullName).AbsoluteUri);

            var drawn = await page.EvaluateAsync<JsonElement>("""
                () => ({
                  points: window.tapewatchCharts.price.data.datasets[0].data.length,
                  boxes: Object.keys(window.tapewatchCharts.price.options.plugins.annotation.annotations).length,
                  priceWidth: document.getElementById('price-chart').width,
                  sweepLines: window.tapewatchCharts.sweep.data.datasets.length,
                  sweepValues: window.tapewatchCharts.sweep.data.labels.length,
                  rows: document.querySelectorAll('#evidence-table tbody tr').length
                })
                """);
            Assert.Empty(problems);
            Assert.All(requests, r => Assert.StartsWith("file:", r)); // opens offline: nothing fetched from anywhere
            Assert.Equal(816, drawn.GetProperty("points").GetInt32()); // every daily close 2024-01-11 .. 2026-04-05 (the closes end before the flows)
            Assert.Equal(episodes, drawn.GetProperty("boxes").GetInt32());
            Assert.True(drawn.GetProperty("priceWidth").GetInt32() > 300);
            Assert.Equal(2, drawn.GetProperty("sweepLines").GetInt32()); // Rebuild in and out of sample
            Assert.Equal(4, drawn.GetProperty("sweepValues").GetInt32());
            Assert.Equal(9, drawn.GetProperty("rows").GetInt32()); // 3 scenarios × 3 horizons
            Assert.Contains("descriptive, not advice", await page.ContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
