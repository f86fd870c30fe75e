using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>
/// <c>backtest --report FILE.html</c>: one self-contained page (the dashboard's chart library inlined, no network) with
/// BTC's close and the episodes shaded per scenario, the forward-return table against the baseline and the sweep's chart.
/// Text is HTML-encoded; the figures travel as JSON in a <c>type="application/json"</c> script, whose encoder escapes
/// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no value can close the element.
/// </summary>
public static class EvidenceReport
{
    public static string Render(BacktestResult result, BtcHistory history)
    {
        var from = result.Sessions.Count > 0 ? result.Sessions[0].Date : default;
        var to = result.Sessions.Count > 0 ? result.Sessions[^1].Date : default;
        var data = new
        {
            prices = history.Closes.Where(kv => kv.Key >= from && kv.Key <= to).OrderBy(kv => kv.Key).Select(kv => new { date = TableValues.Date(kv.Key), close = kv.Value }),
            episodes = result.Episodes.Select(e => new { scenario = e.Scenario.ToString(), start = TableValues.Date(e.Start), end = TableValues.Date(e.End) }),
            evidence = result.Evidence,
            sweep = result.Sweep,
        };
        var json = JsonSerializer.Serialize(data, StoredJson.Options);
        var h = HtmlEncoder.Default;
        var page = new StringBuilder(capacity: 300_000);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tapewatch evidence</title>\n<style>")
            .Append(Style)
            .Append("</style></head><body>\n<h1>Tapewatch evidence</h1>\n<p class=\"note\">What followed each scenario on this history: descriptive, not advice. Past episodes are few; read the interval and the p-value before the mean.</p>\n<ul class=\"series\">");
        foreach (var s in result.Series) page.Append("<li>").Append(h.Encode(s.Source)).Append(": ").Append(TableValues.Date(s.From)).Append(" .. ").Append(TableValues.Date(s.To)).Append(" (").Append(s.Points.ToString(CultureInfo.InvariantCulture)).Append(")</li>");
        page.Append("</ul>\n<h2>BTC close and episodes</h2>\n<p class=\"legend\"><span class=\"rebuild\">Rebuild</span> <span class=\"caution\">Caution</span> <span class=\"snapback\">Snapback</span>: sessions at Triggered or above, shaded</p>\n<div class=\"chart\"><canvas id=\"price-chart\"></canvas></div>\n");
        AppendEvidenceTable(page, result);
        if (result.Sweep is { } sweep)
        {
            page.Append("<h2>Sweep of ").Append(h.Encode(sweep.Setting)).Append("</h2>\n<p>In sample ").Append(TableValues.Date(sweep.InSampleFrom)).Append(" .. before ").Append(TableValues.Date(sweep.Split))
                .Append("; out of sample ").Append(TableValues.Date(sweep.Split)).Append(" .. ").Append(TableValues.Date(sweep.OutOfSampleTo)).Append(". Mean 10-session forward return per value.</p>\n<div class=\"chart\"><canvas id=\"sweep-chart\"></canvas></div>\n");
        }

        page.Append("<script type=\"application/json\" id=\"evidence-data\">").Append(json).Append("</script>\n");
        foreach (var asset in new[] { "chart.umd.min.js", "chartjs-plugin-annotation.min.js" })
        {
            page.Append("<script>").Append(Encoding.UTF8.GetString(DashboardAssets.Find(asset)!.Content)).Append("</script>\n");
        }

        page.Append("<script>").Append(Script).Append("</script>\n<p class=\"note\">Closes and funding: Binance public market data (see data/README.md). Flows: Farside Investors (farside.co.uk).</p>\n</body></html>\n");
        return page.ToString();
    }

    private static void AppendEvidenceTable(StringBuilder page, BacktestResult result)
    {
        page.Append("<h2>Forward returns after episode starts against every session (baseline)</h2>\n");
        if (result.Evidence is null)
        {
            page.Append("<p>No closes: no forward returns.</p>\n");
            return;
        }

        page.Append("<table id=\"evidence-table\"><thead><tr><th>scenario</th><th>sessions ahead</th><th>episodes</th><th>mean %</th><th>median %</th><th>hit %</th><th>90 % interval of the mean</th><th>p</th><th>baseline mean %</th><th>baseline hit %</th></tr></thead><tbody>\n");
        foreach (var scenario in result.Evidence)
        {
            foreach (var x in scenario.Horizons)
            {
                page.Append("<tr class=\"").Append(scenario.Scenario.ToString().ToLowerInvariant()).Append("\"><td>").Append(scenario.Scenario.ToString()).Append("</td><td>").Append(x.Horizon.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(x.Episodes.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Number(x.MeanPct)).Append("</td><td>").Append(Number(x.MedianPct))
                    .Append("</td><td>").Append(Number(x.HitRatePct)).Append("</td><td>").Append(Number(x.MeanLow90Pct)).Append(" .. ").Append(Number(x.MeanHigh90Pct))
                    .Append("</td><td>").Append(x.PermutationP?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-").Append("</td><td>").Append(Number(x.BaselineMeanPct)).Append("</td><td>").Append(Number(x.BaselineHitRatePct)).Append("</td></tr>\n");
            }
        }

        page.Append("</tbody></table>\n<p class=\"note\">hit % = share of episodes moving the scenario's way (Rebuild and Snapback up, Caution down); p = share of 2,000 random sets of start sessions of the same size doing at least as well.</p>\n");
    }

    private static string Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-";

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
