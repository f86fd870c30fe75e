using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Html;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>
/// <c>backtest --report FILE.html</c>: one self-contained page (the dashboard's chart library inlined, no network) with
/// BTC's close and the episodes shaded per scenario, the forward-return table against the baseline and the sweep's chart,
/// rendered from <c>EvidenceReportPage.cshtml</c>, which encodes every value. The figures travel as JSON in a
/// <c>type="application/json"</c> script, whose encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no value
/// can close the element.
/// </summary>
public static class EvidenceReport
{
    public static string Render(BacktestResult result, BtcHistory history)
    {
        var from = result.Sessions.Count > 0 ? result.Sessions[0].Date : default;
        var to = result.Sessions.Count > 0 ? result.Sessions[^1].Date : default;
        var data = new EvidenceReportData(
            [.. history.Closes.Where(kv => kv.Key >= from && kv.Key <= to).OrderBy(kv => kv.Key).Select(kv => new ChartPrice(TableValues.Date(kv.Key), kv.Value))],
            [.. result.Episodes.Select(ChartEpisode.Of)],
            result.Evidence,
            result.Sweep);
        var model = new EvidenceReportModel(
            result,
            new HtmlString(Style),
            new HtmlString(JsonSerializer.Serialize(data, StoredJson.Options)),
            [.. new[] { "chart.umd.min.js", "chartjs-plugin-annotation.min.js" }.Select(asset => new HtmlString(Encoding.UTF8.GetString(DashboardAssets.Find(asset)!.Content)))],
            new HtmlString(Script));
        using var page = EvidenceReportPage.Create(model);
        return SliceText.Render(page);
    }

    internal static string Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-";

    internal static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private const string Style = """
        body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330;max-width:1100px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px}
        .note{color:#5b6473}.series{color:#5b6473;padding-left:18px}
        .chart{position:relative;height:360px}
        table{border-collapse:collapse;margin-top:8px}th,td{padding:4px 10px;border-bottom:1px solid #e3e6eb;text-align:right}
        th:first-child,td:first-child{text-align:left}
        .legend span{padding:1px 8px;border-radius:3px}.legend .rebuild{background:rgba(26,127,55,0.18)}.legend .caution{background:rgba(198,40,40,0.18)}.legend .snapback{background:rgba(31,95,191,0.18)}
        tr.rebuild td:first-child{color:#1a7f37}tr.caution td:first-child{color:#c62828}tr.snapback td:first-child{color:#1f5fbf}
        """;

    private const string Script = """
        (function () {
          var data = JSON.parse(document.getElementById('evidence-data').textContent);
          var colours = { Rebuild: 'rgba(26,127,55,0.18)', Caution: 'rgba(198,40,40,0.18)', Snapback: 'rgba(31,95,191,0.18)' };
          var lines = { Rebuild: '#1a7f37', Caution: '#c62828', Snapback: '#1f5fbf' };
          var labels = data.prices.map(function (p) { return p.date; });
          var boxes = {};
          data.episodes.forEach(function (e, i) {
            boxes['e' + i] = { type: 'box', xMin: e.start, xMax: e.end, backgroundColor: colours[e.scenario], borderWidth: 0 };
          });
          var price = new Chart(document.getElementById('price-chart'), {
            type: 'line',
            data: { labels: labels, datasets: [{ label: 'BTC close', data: data.prices.map(function (p) { return p.close; }), borderColor: '#1d2330', borderWidth: 1.2, pointRadius: 0 }] },
            options: { animation: false, maintainAspectRatio: false, scales: { x: { ticks: { maxTicksLimit: 12 } } }, plugins: { annotation: { annotations: boxes } } }
          });
          window.tapewatchCharts = { price: price };
          if (data.sweep) {
            var values = data.sweep.rows.map(function (r) { return String(r.value); });
            var sets = [];
            var scenarios = (data.sweep.rows.find(function (r) { return r.inSample; }) || { inSample: [] }).inSample.map(function (s) { return s.scenario; });
            scenarios.forEach(function (name) {
              ['inSample', 'outOfSample'].forEach(function (part) {
                sets.push({
                  label: name + (part === 'inSample' ? ' in sample' : ' out of sample'),
                  data: data.sweep.rows.map(function (r) {
                    if (!r[part]) return null;
                    var h = r[part].find(function (s) { return s.scenario === name; }).horizons.find(function (x) { return x.horizon === 10; });
                    return h.meanPct === undefined ? null : h.meanPct;
                  }),
                  borderColor: lines[name], borderDash: part === 'inSample' ? [] : [6, 4], backgroundColor: lines[name]
                });
              });
            });
            window.tapewatchCharts.sweep = new Chart(document.getElementById('sweep-chart'), {
              type: 'line', data: { labels: values, datasets: sets },
              options: { animation: false, maintainAspectRatio: false, scales: { y: { title: { display: true, text: 'mean 10-session return %' } } } }
            });
          }
        })();
        """;
}

/// <summary>What <c>EvidenceReportPage.cshtml</c> shows: the backtest, and the raw parts (our own style, figures and scripts).</summary>
public sealed record EvidenceReportModel(BacktestResult Result, HtmlString Style, HtmlString Data, IReadOnlyList<HtmlString> ChartLibraries, HtmlString Script);

/// <summary>The evidence report's figures, as its script reads them.</summary>
public sealed record EvidenceReportData(IReadOnlyList<ChartPrice> Prices, IReadOnlyList<ChartEpisode> Episodes, IReadOnlyList<ScenarioEvidence>? Evidence, SweepReport? Sweep);

/// <summary>A daily BTC close on a chart.</summary>
public sealed record ChartPrice(string Date, decimal Close);

/// <summary>An episode's span on a chart, shaded by scenario.</summary>
public sealed record ChartEpisode(string Scenario, string Start, string End)
{
    public static ChartEpisode Of(BacktestEpisode episode) =>
        new(episode.Scenario.ToString(), TableValues.Date(episode.Start), TableValues.Date(episode.End));
}
