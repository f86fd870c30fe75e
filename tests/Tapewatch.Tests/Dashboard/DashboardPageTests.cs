using System.Text.Json;
using System.Text.RegularExpressions;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Infrastructure.Dashboard.Templates;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Dashboard;

public sealed class DashboardPageTests
{
    internal static DashboardModel Model(DashboardSample sample, string? code = null, int days = 90)
    {
        var to = DashboardSample.AsOf;
        var from = to.AddDays(-(days - 1));
        var sessions = sample.Sessions();
        return new DashboardModel
        {
            From = from,
            To = to,
            Days = days,
            Evaluation = sample.Current(),
            LatestSession = sessions[^1],
            Charts = DashboardChartBuilder.Build(from, to, TradingCalendar.Default, new DashboardOptions(), sessions, sample.Weeks(), sample.Derivatives(), sample.History(), sample.Current()),
            GeneratedUtc = DashboardSample.Seen,
            AccessCode = code,
        };
    }

    [Fact]
    public async Task Scraped_text_is_html_encoded_everywhere()
    {
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Hostile));

        Assert.DoesNotContain("<script>window", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror=\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</script><script>window", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        // Headline, fund name, session source, condition text and source, freshness note: all encoded.
        Assert.Contains("&lt;script&gt;window.__xss=&#x27;script&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=&quot;window.__xss", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\" class=\"fund\">&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"source\">&quot;&gt;&lt;img", html, StringComparison.Ordinal);
        Assert.Contains("<title>Tapewatch — Reset as of Tue 11 Nov 2025</title>", html, StringComparison.Ordinal);
        Assert.True(Regex.Matches(html, "&lt;img src=x").Count >= 5, "every hostile field should appear encoded");
    }

    [Fact]
    public async Task Page_has_no_inline_script_style_or_event_handler()
    {
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Normal));

        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        var scripts = Regex.Matches(html, "<script[^>]*>").Select(m => m.Value).ToList();
        Assert.Equal(4, scripts.Count);
        Assert.Equal($"<script type=\"application/json\" id=\"{DashboardPage.DataElementId}\">", scripts[0]);
        Assert.All(scripts.Skip(1), s => Assert.Matches("^<script src=\"/api/dashboard/assets/[a-z.-]+\\.js\\?v=[0-9a-f]{16}\"></script>$", s + "</script>"));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_data_json_cannot_close_its_script_element()
    {
        var json = DashboardPage.ChartDataJson(Model(DashboardSample.Normal).Charts with { Sessions = ["</script><script>alert(1)</script>", "<!--"] });
        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("</script><script>alert(1)</script>", doc.RootElement.GetProperty("sessions")[0].GetString());
    }

    [Fact]
    public async Task Banner_cards_and_conditions_carry_their_meaning_in_text()
    {
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Normal));

        Assert.Contains("data-regime=\"Reset\"", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"regime-name\">Reset</span>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Provisional:</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2025-11-11\">Tue 11 Nov 2025</time>", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(html, "<article class=\"card scenario").Count);
        Assert.Contains("<span class=\"status-text\">Building</span>", html, StringComparison.Ordinal);
        Assert.Contains("Streak <strong>1 of 3</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<progress max=\"3\" value=\"1\">1 of 3</progress>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"icon\" aria-hidden=\"true\">✓</span> Met</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"icon\" aria-hidden=\"true\">✗</span> Not met</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"icon\" aria-hidden=\"true\">?</span> Unknown</span>", html, StringComparison.Ordinal);
        Assert.Contains("unknown: derivatives data is stale", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tag risk\">risk flag</span>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"stale-warning\"", html, StringComparison.Ordinal);
        Assert.Contains("Stale — no snapshot since Fri 7 Nov", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"result\"><span class=\"icon\" aria-hidden=\"true\">?</span> Unknown</span> <span class=\"text\">Deleveraging", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_chart_has_an_accessible_name_and_a_text_fallback()
    {
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Normal));

        var canvases = Regex.Matches(html, "<canvas id=\"(chart-[a-z]+)\" role=\"img\" aria-label=\"([^\"]+)\"></canvas>");
        Assert.Equal(["chart-flows", "chart-weekly", "chart-basis", "chart-derivatives", "chart-timeline"], canvases.Select(m => m.Groups[1].Value));
        Assert.All(canvases, m => Assert.True(m.Groups[2].Value.Length > 40, m.Groups[1].Value));
        Assert.Equal(4, Regex.Matches(html, "<details><summary>Data table</summary>").Count);
        html = System.Net.WebUtility.HtmlDecode(html);
        Assert.Contains("latest 11 Nov +524.0m", html, StringComparison.Ordinal);
        Assert.Contains("Caution 3 Nov – 5 Nov; Stabilizing 6 Nov; Reset 7 Nov – 11 Nov.", html, StringComparison.Ordinal);
        Assert.Contains("week to 7 Nov: US ETF −1,208.4m, CoinShares global −1,170.0m", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Window_links_keep_the_function_key_encoded()
    {
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Normal, code: "k\"y&1", days: 30));
        Assert.Contains("<a href=\"?days=90&amp;code=k%22y%261\">90 days</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"?days=30&amp;code=k%22y%261\" aria-current=\"page\">30 days</a>", html, StringComparison.Ordinal);

        var local = await DashboardPage.RenderAsync(Model(DashboardSample.Normal));
        Assert.Contains("<a href=\"?days=365\">365 days</a>", local, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_evaluation_the_page_says_so_and_still_draws_the_tape()
    {
        var model = Model(DashboardSample.Normal) with { Evaluation = null };
        var html = await DashboardPage.RenderAsync(model);
        Assert.Contains("<h1>No evaluation yet</h1>", html, StringComparison.Ordinal);
        Assert.Contains("No scenario evaluation yet.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-flows\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<article", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(524.0, "+524.0")]
    [InlineData(-1208.4, "−1,208.4")]
    [InlineData(0, "0.0")]
    public void Flows_are_formatted_with_sign_and_one_decimal(decimal value, string expected) =>
        Assert.Equal(expected, DashboardPage.Flow(value));

    [Fact]
    public void Regime_runs_group_consecutive_sessions()
    {
        var runs = DashboardPage.RegimeRuns(["a", "b", "c", "d", "e"], ["Reset", "Reset", null, "Reset", "Caution"]);
        Assert.Equal([("Reset", "a", "b"), ("Reset", "d", "d"), ("Caution", "e", "e")], runs);
    }

    [Fact]
    public async Task Condition_without_observed_text_falls_back_to_value_or_na()
    {
        var sample = DashboardSample.Normal.Current();
        var rebuild = sample.Scenario(ScenarioKind.Rebuild);
        var changed = sample with
        {
            Scenarios = [rebuild with { Conditions = [rebuild.Conditions[0] with { Observed = null, ObservedValue = 8.25m }] }],
        };
        var html = await DashboardPage.RenderAsync(Model(DashboardSample.Normal) with { Evaluation = changed });
        Assert.Contains("Observed <strong>8.25</strong>", html, StringComparison.Ordinal);
    }
}
