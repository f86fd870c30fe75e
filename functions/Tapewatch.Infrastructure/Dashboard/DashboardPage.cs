using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>
/// Renders the dashboard HTML. Every text that came from storage (headline, condition text, observed values,
/// sources, notes, fund names) goes through <see cref="Encode"/>; the chart data is JSON in a non-executable
/// <c>&lt;script type="application/json"&gt;</c> with '&lt;' escaped; no inline script, style or event handler.
/// </summary>
public static class DashboardPage
{
    public const string DataElementId = "dashboard-data";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Encodes < > & " ' (and control characters) but keeps readable Unicode such as ≥ and −.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Default,
        WriteIndented = false,
    };

    public static string Encode(string? text) => text is null ? "" : Html.Encode(text);

    /// <summary>JSON safe inside a script element: no '&lt;' (so no "&lt;/script&gt;" or "&lt;!--"), HTML-significant characters escaped.</summary>
    public static string ChartDataJson(DashboardChartData data) =>
        JsonSerializer.Serialize(data, ChartJson).Replace("<", "\\u003c", StringComparison.Ordinal);

    public static string Render(DashboardModel model)
    {
        var html = new StringBuilder(64 * 1024);
        var evaluation = model.Evaluation;
        var title = evaluation is null
            ? "Tapewatch dashboard"
            : $"Tapewatch — {evaluation.Regime} as of {Day(evaluation.AsOfSession)}";

        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Encode(DashboardAssets.Url(model.AssetBasePath, DashboardAssets.Stylesheet))).Append("\">\n")
            .Append("</head>\n<body>\n");

        Banner(html, model);
        html.Append("<main>\n");
        Scenarios(html, evaluation);
        Signals(html, evaluation);
        Freshness(html, evaluation);
        Charts(html, model);
        LatestSession(html, model);
        html.Append("</main>\n");
        Footer(html, model);

        html.Append("<script type=\"application/json\" id=\"").Append(DataElementId).Append("\">")
            .Append(ChartDataJson(model.Charts)).Append("</script>\n");
        foreach (var script in new[] { DashboardAssets.ChartJs, DashboardAssets.AnnotationPlugin, DashboardAssets.PageScript })
        {
            html.Append("<script src=\"").Append(Encode(DashboardAssets.Url(model.AssetBasePath, script))).Append("\"></script>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Banner(StringBuilder html, DashboardModel model)
    {
        var e = model.Evaluation;
        if (e is null)
        {
            html.Append("<header class=\"banner regime-none\" id=\"regime-banner\">\n")
                .Append("<p class=\"eyebrow\">Tapewatch regime</p>\n<h1>No evaluation yet</h1>\n")
                .Append("<p class=\"headline\">The scenarios have not been evaluated yet: once ingestion stores a session, the evaluator writes the regime here.</p>\n")
                .Append("</header>\n");
            return;
        }

        var regime = e.Regime.ToString();
        html.Append("<header class=\"banner regime-").Append(Encode(regime)).Append("\" id=\"regime-banner\" data-regime=\"").Append(Encode(regime)).Append("\">\n")
            .Append("<p class=\"eyebrow\">Tapewatch regime</p>\n")
            .Append("<h1><span class=\"regime-name\">").Append(Encode(regime)).Append("</span></h1>\n")
            .Append("<p class=\"headline\" id=\"regime-headline\">").Append(Encode(e.Headline)).Append("</p>\n")
            .Append("<p class=\"asof\">As of session <time datetime=\"").Append(Iso(e.AsOfSession)).Append("\">").Append(Encode(Day(e.AsOfSession))).Append("</time>");
        if (e.SessionTotalUsdM is { } total)
        {
            html.Append(" · session total <strong>").Append(Encode(Flow(total))).Append("m</strong>");
        }

        if (e.EvaluatedUtc != default)
        {
            html.Append(" · evaluated <time datetime=\"").Append(e.EvaluatedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv)).Append("\">")
                .Append(Encode(e.EvaluatedUtc.UtcDateTime.ToString("d MMM yyyy HH:mm", Inv))).Append(" UTC</time>");
        }

        html.Append("</p>\n");
        if (e.Provisional)
        {
            html.Append("<p class=\"badge provisional\" id=\"provisional\"><span aria-hidden=\"true\">◷ </span><strong>Provisional:</strong> ")
                .Append("some funds have not reported for a session this relies on; the figures may be revised.</p>\n");
        }

        html.Append("</header>\n");
    }

    private static void Scenarios(StringBuilder html, RegimeEvaluation? e)
    {
        html.Append("<section class=\"scenarios\" aria-labelledby=\"scenarios-h\">\n<h2 id=\"scenarios-h\">Scenarios</h2>\n");
        if (e is null || e.Scenarios.Count == 0)
        {
            html.Append("<p class=\"empty\">No scenario evaluation yet.</p>\n</section>\n");
            return;
        }

        html.Append("<div class=\"cards\">\n");
        foreach (var s in e.Scenarios)
        {
            var name = s.Scenario.ToString();
            var status = s.Status.ToString();
            html.Append("<article class=\"card scenario status-").Append(Encode(status)).Append("\" id=\"scenario-").Append(Encode(name))
                .Append("\" data-scenario=\"").Append(Encode(name)).Append("\" aria-labelledby=\"scenario-").Append(Encode(name)).Append("-h\">\n")
                .Append("<h3 id=\"scenario-").Append(Encode(name)).Append("-h\">").Append(Encode(name)).Append("</h3>\n")
                .Append("<p class=\"status\"><span class=\"icon\" aria-hidden=\"true\">").Append(StatusIcon(s.Status)).Append("</span> ")
                .Append("<span class=\"status-text\">").Append(Encode(status)).Append("</span></p>\n");

            var target = Math.Max(1, s.StreakTarget);
            var length = Math.Clamp(s.StreakLength, 0, target);
            html.Append("<p class=\"progress\">");
            if (s.StreakUnknown)
            {
                html.Append("Streak <strong>unknown</strong> (a session is missing)");
            }
            else
            {
                html.Append("Streak <strong>").Append(s.StreakLength.ToString(Inv)).Append(" of ").Append(s.StreakTarget.ToString(Inv)).Append("</strong> ")
                    .Append("<progress max=\"").Append(target.ToString(Inv)).Append("\" value=\"").Append(length.ToString(Inv)).Append("\">")
                    .Append(s.StreakLength.ToString(Inv)).Append(" of ").Append(s.StreakTarget.ToString(Inv)).Append("</progress>");
            }

            html.Append("</p>\n");
            if (s.EpisodeStart is { } start)
            {
                html.Append("<p class=\"episode\">Episode since <time datetime=\"").Append(Iso(start)).Append("\">").Append(Encode(Day(start))).Append("</time></p>\n");
            }

            if (!string.IsNullOrWhiteSpace(s.Summary))
            {
                html.Append("<p class=\"summary\">").Append(Encode(s.Summary)).Append("</p>\n");
            }

            Conditions(html, s.Conditions);
            html.Append("</article>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    private static void Conditions(StringBuilder html, IReadOnlyList<ConditionResult> conditions)
    {
        if (conditions.Count == 0) return;
        html.Append("<ul class=\"conditions\">\n");
        foreach (var c in conditions)
        {
            html.Append("<li class=\"condition ").Append(MetClass(c.Met)).Append("\" data-condition=\"").Append(Encode(c.Id)).Append("\">\n")
                .Append("<span class=\"result\"><span class=\"icon\" aria-hidden=\"true\">").Append(MetIcon(c.Met)).Append("</span> ")
                .Append(MetText(c.Met)).Append("</span>\n")
                .Append("<span class=\"text\">").Append(Encode(c.Text));
            if (c.IsTrigger) html.Append(" <span class=\"tag\">trigger</span>");
            if (c.IsRiskFlag) html.Append(" <span class=\"tag risk\">risk flag</span>");
            html.Append("</span>\n<span class=\"figures\">Observed <strong>").Append(Encode(c.Observed ?? (c.ObservedValue is { } v ? v.ToString("0.0##", Inv) : "n/a")))
                .Append("</strong> · threshold <strong>").Append(Encode(c.Threshold)).Append("</strong></span>\n");
            var meta = new List<string>();
            if (c.AsOf is { } asOf) meta.Add("as of " + Day(asOf));
            if (!string.IsNullOrWhiteSpace(c.Source)) meta.Add("source " + c.Source);
            else if (!string.IsNullOrWhiteSpace(c.Dataset)) meta.Add("dataset " + c.Dataset);
            if (c.Met is null && !string.IsNullOrWhiteSpace(c.UnknownReason)) meta.Add("unknown: " + c.UnknownReason);
            if (meta.Count > 0) html.Append("<span class=\"meta\">").Append(Encode(string.Join(" · ", meta))).Append("</span>\n");
            html.Append("</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void Signals(StringBuilder html, RegimeEvaluation? e)
    {
        if (e is null) return;
        html.Append("<section class=\"signals\" aria-labelledby=\"signals-h\">\n<h2 id=\"signals-h\">Signals</h2>\n");
        if (e.Signals.Count == 0)
        {
            html.Append("<p class=\"empty\">No signals evaluated.</p>\n</section>\n");
            return;
        }

        html.Append("<ul class=\"signal-list\">\n");
        foreach (var s in e.Signals)
        {
            var (cls, icon, text) = s.Active switch
            {
                true => ("active", "●", "Active"),
                false => ("inactive", "○", "Inactive"),
                null => ("unknown", "?", "Unknown"),
            };
            html.Append("<li class=\"signal ").Append(cls).Append("\" data-signal=\"").Append(Encode(s.Id)).Append("\">")
                .Append("<span class=\"result\"><span class=\"icon\" aria-hidden=\"true\">").Append(icon).Append("</span> ").Append(text).Append("</span> ")
                .Append("<span class=\"text\">").Append(Encode(s.Text)).Append("</span>");
            if (!string.IsNullOrWhiteSpace(s.Observed))
            {
                html.Append(" <span class=\"figures\">Observed <strong>").Append(Encode(s.Observed)).Append("</strong></span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }

    private static void Freshness(StringBuilder html, RegimeEvaluation? e)
    {
        if (e is null) return;
        html.Append("<section class=\"freshness\" aria-labelledby=\"freshness-h\">\n<h2 id=\"freshness-h\">Data freshness</h2>\n");
        var stale = e.Freshness.Where(f => f.Stale).Select(f => f.Dataset).ToList();
        if (stale.Count > 0)
        {
            html.Append("<p class=\"warning\" role=\"status\" id=\"stale-warning\"><span aria-hidden=\"true\">⚠ </span><strong>Stale data:</strong> ")
                .Append(Encode(string.Join(", ", stale)))
                .Append(". Conditions that depend on it read as unknown.</p>\n");
        }

        html.Append("<div class=\"table-scroll\"><table>\n<thead><tr><th scope=\"col\">Dataset</th><th scope=\"col\">Latest as of</th><th scope=\"col\">Last updated (UTC)</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
        foreach (var f in e.Freshness)
        {
            html.Append("<tr class=\"").Append(f.Stale ? "stale" : "fresh").Append("\" data-dataset=\"").Append(Encode(f.Dataset)).Append("\"><th scope=\"row\">").Append(Encode(f.Dataset)).Append("</th><td>")
                .Append(f.LatestAsOf is { } d ? Encode(Day(d)) : "n/a").Append("</td><td>")
                .Append(f.LastUpdatedUtc is { } u ? Encode(u.UtcDateTime.ToString("d MMM yyyy HH:mm", Inv)) : "n/a").Append("</td><td>")
                .Append(f.Stale ? "<span aria-hidden=\"true\">⚠ </span>Stale" : "<span aria-hidden=\"true\">✓ </span>Fresh");
            if (!string.IsNullOrWhiteSpace(f.Note)) html.Append(" — ").Append(Encode(f.Note));
            html.Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void Charts(StringBuilder html, DashboardModel model)
    {
        var c = model.Charts;
        var t = c.Thresholds;
        html.Append("<section class=\"charts\" aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">The tape</h2>\n")
            .Append("<p class=\"window-range\">").Append(Encode(Day(model.From))).Append(" – ").Append(Encode(Day(model.To)))
            .Append(" (").Append(model.Days.ToString(Inv)).Append(" days, ").Append(c.Sessions.Count.ToString(Inv)).Append(" sessions)</p>\n")
            .Append("<nav class=\"window\" aria-label=\"Chart window\"><span>Window:</span>");
        foreach (var choice in model.WindowChoices)
        {
            var query = "?days=" + choice.ToString(Inv) + (model.AccessCode is { } code ? "&code=" + Uri.EscapeDataString(code) : "");
            html.Append(" <a href=\"").Append(Encode(query)).Append('"');
            if (choice == model.Days) html.Append(" aria-current=\"page\"");
            html.Append('>').Append(choice.ToString(Inv)).Append(" days</a>");
        }

        html.Append("</nav>\n<noscript><p class=\"warning\">The charts need JavaScript; the data table under each chart has the same figures.</p></noscript>\n");

        // Daily flows.
        var flows = c.Sessions.Select((d, i) => (Date: d, Value: c.Flows[i], Provisional: c.Provisional[i], Streak: c.Streak[i])).ToList();
        var known = flows.Where(f => f.Value is not null).ToList();
        var flowSummary = known.Count == 0
            ? "No ETF sessions stored in this window."
            : $"{known.Count} of {flows.Count} sessions have data; latest {ShortDay(known[^1].Date)} {Flow(known[^1].Value!.Value)}m; " +
              $"highest {Flow(known.Max(f => f.Value!.Value))}m, lowest {Flow(known.Min(f => f.Value!.Value))}m; " +
              $"{known.Count(f => f.Value >= 0)} green, {known.Count(f => f.Value < 0)} red; " +
              $"{flows.Count(f => f.Streak is not null)} sessions in trigger runs.";
        Figure(html, "flows", "Daily ETF net flows (US$m)",
            $"Bars: green inflow, red outflow. Outlined, darker bars belong to a run that meets a trigger ({t.RebuildStreak} sessions ≥ +{Num(t.RebuildSessionMin)} Rebuild, {t.CautionStreak} sessions < 0 Caution, one session ≥ +{Num(t.SnapbackSessionMin)} Snapback); faded bars are provisional. Dashed lines at ±{Num(t.RebuildSessionMin)} and +{Num(t.SnapbackSessionMin)}.",
            "Daily US spot bitcoin ETF net flows bar chart. " + flowSummary,
            flowSummary,
            ["Session", "Net flow (US$m)", "Note"],
            flows.Select(f => new[] { f.Date, f.Value is { } v ? Flow(v) : "no data", Note(f.Provisional, f.Streak) }));

        // Weekly ledger.
        var weeks = c.Weeks.Select((w, i) => (Week: w, Us: c.WeeksUsEtf[i], Cs: c.WeeksCoinShares[i], Partial: c.WeeksPartial[i])).ToList();
        var lastFullWeek = weeks.LastOrDefault(w => w.Us is not null && !w.Partial);
        var weekSummary = weeks.Count == 0 ? "No weeks in this window."
            : $"{weeks.Count} weeks; {weeks.Count(w => w.Cs is not null)} with a CoinShares report" +
              (lastFullWeek.Us is { } lastUs ? $"; week to {ShortDay(lastFullWeek.Week)}: US ETF {Flow(lastUs)}m, CoinShares global {(lastFullWeek.Cs is { } cs ? Flow(cs) + "m" : "not reported")}." : ".");
        Figure(html, "weekly", "Weekly ledger: US ETF sum vs CoinShares global (US$m)",
            "Per week ending Friday: the sum of the US spot ETF sessions, next to the CoinShares global digital-asset fund flow for the same week.",
            "Weekly ledger grouped bar chart. " + weekSummary,
            weekSummary,
            ["Week ending", "US ETF sum (US$m)", "CoinShares global (US$m)"],
            weeks.Select(w => new[] { w.Week, w.Us is { } u ? Flow(u) + (w.Partial ? " (to date)" : "") : "incomplete", w.Cs is { } cs ? Flow(cs) : "not reported" }));

        // Basis.
        var basis = c.Sessions.Select((d, i) => (Date: d, Value: c.Basis[i])).ToList();
        var basisKnown = basis.Where(b => b.Value is not null).ToList();
        var basisSummary = basisKnown.Count == 0 ? "No basis readings in this window."
            : $"{basisKnown.Count} readings; latest {ShortDay(basisKnown[^1].Date)} {Pct(basisKnown[^1].Value!.Value)}; range {Pct(basisKnown.Min(b => b.Value!.Value))} to {Pct(basisKnown.Max(b => b.Value!.Value))}.";
        Figure(html, "basis", "3-month annualised basis (%)" + (c.DerivativesIllustrative ? " — illustrative data" : ""),
            $"Bands: ≤ {Num(t.BasisCautionMax)}% (Caution), ≥ {Num(t.BasisRebuildMin)}% (Rebuild), ≥ {Num(t.BasisSnapbackMin)}% (Snapback).",
            "3-month annualised basis line chart with bands. " + basisSummary,
            basisSummary,
            ["Session", "Basis (%)"],
            basis.Select(b => new[] { b.Date, b.Value is { } v ? Pct(v) : "no data" }));

        // Funding and open interest.
        var deriv = c.Sessions.Select((d, i) => (Date: d, Funding: c.Funding[i], Offshore: c.OffshoreOpenInterest[i], Cme: c.CmeOpenInterest[i])).ToList();
        var fundingKnown = deriv.Where(d => d.Funding is not null).ToList();
        var oiKnown = deriv.Where(d => d.Offshore is not null).ToList();
        var derivSummary = (fundingKnown.Count == 0 ? "No funding readings" : $"Funding latest {Pct(fundingKnown[^1].Funding!.Value)} annualised")
            + "; " + (oiKnown.Count == 0 ? "no open-interest readings." : $"offshore open interest latest {Num(oiKnown[^1].Offshore!.Value)} BTC ({ShortDay(oiKnown[^1].Date)}).");
        Figure(html, "derivatives", "Funding (annualised %) and open interest (BTC)" + (c.DerivativesIllustrative ? " — illustrative data" : ""),
            $"Funding on the left axis with lines at {Num(t.FundingSubduedMax)}% (subdued) and {Num(t.FundingRiskMin)}% (late-cycle risk); offshore and CME open interest on the right axis.",
            "Funding and open interest line chart. " + derivSummary,
            derivSummary,
            ["Session", "Funding (%)", "Offshore OI (BTC)", "CME OI (BTC)"],
            deriv.Select(d => new[] { d.Date, d.Funding is { } f ? Pct(f) : "no data", d.Offshore is { } o ? Num(o) : "no data", d.Cme is { } m ? Num(m) : "no data" }));

        // Regime timeline.
        var runs = RegimeRuns(c.Sessions, c.Regimes);
        var timelineSummary = runs.Count == 0 ? "No evaluations stored for this window."
            : string.Join("; ", runs.Select(r => r.From == r.To ? $"{r.Regime} {ShortDay(r.From)}" : $"{r.Regime} {ShortDay(r.From)} – {ShortDay(r.To)}")) + ".";
        html.Append("<figure class=\"chart timeline\" id=\"figure-timeline\">\n<figcaption><h3>Regime timeline</h3>\n<ul class=\"regime-legend\">");
        foreach (var regime in Enum.GetNames<Regime>().Reverse())
        {
            html.Append("<li><span class=\"swatch regime-").Append(regime).Append("\" aria-hidden=\"true\"></span>").Append(regime).Append("</li>");
        }

        html.Append("</ul></figcaption>\n<div class=\"chart-box\"><canvas id=\"chart-timeline\" role=\"img\" aria-label=\"")
            .Append(Encode("Regime timeline band. " + timelineSummary)).Append("\"></canvas></div>\n")
            .Append("<p class=\"chart-summary\">").Append(Encode(timelineSummary)).Append("</p>\n</figure>\n")
            .Append("</section>\n");
    }

    private static void Figure(StringBuilder html, string id, string title, string legend, string ariaLabel, string summary, string[] headers, IEnumerable<string[]> rows)
    {
        html.Append("<figure class=\"chart\" id=\"figure-").Append(id).Append("\">\n<figcaption><h3>").Append(Encode(title)).Append("</h3>\n")
            .Append("<p class=\"legend-text\">").Append(Encode(legend)).Append("</p></figcaption>\n")
            .Append("<div class=\"chart-box\"><canvas id=\"chart-").Append(id).Append("\" role=\"img\" aria-label=\"").Append(Encode(ariaLabel)).Append("\"></canvas></div>\n")
            .Append("<p class=\"chart-summary\">").Append(Encode(summary)).Append("</p>\n")
            .Append("<details><summary>Data table</summary><div class=\"table-scroll\"><table>\n<thead><tr>");
        foreach (var h in headers) html.Append("<th scope=\"col\">").Append(Encode(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(Encode(row[i])).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table></div></details>\n</figure>\n");
    }

    private static void LatestSession(StringBuilder html, DashboardModel model)
    {
        var s = model.LatestSession;
        html.Append("<section class=\"funds\" aria-labelledby=\"funds-h\">\n<h2 id=\"funds-h\">Latest session by fund</h2>\n");
        if (s is null)
        {
            html.Append("<p class=\"empty\">No ETF session stored in this window.</p>\n</section>\n");
            return;
        }

        html.Append("<p><time datetime=\"").Append(Iso(s.Date)).Append("\">").Append(Encode(Day(s.Date))).Append("</time>: total <strong>")
            .Append(Encode(Flow(s.TotalUsdM))).Append("m</strong> · ").Append(s.Status == Tapewatch.Core.Domain.SessionStatus.Provisional ? "<span aria-hidden=\"true\">◷ </span>provisional" : "final")
            .Append(" · source <span class=\"source\">").Append(Encode(s.Source)).Append("</span></p>\n")
            .Append("<div class=\"table-scroll\"><table class=\"fund-table\">\n<thead><tr><th scope=\"col\">Fund</th><th scope=\"col\">Net flow (US$m)</th></tr></thead>\n<tbody>\n");
        foreach (var (fund, value) in s.Funds)
        {
            html.Append("<tr><th scope=\"row\" class=\"fund\">").Append(Encode(fund)).Append("</th><td>")
                .Append(value is { } v ? Encode(Flow(v)) : "– not reported yet").Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void Footer(StringBuilder html, DashboardModel model)
    {
        html.Append("<footer>\n<p>ETF flows: Farside Investors (farside.co.uk) or SoSoValue, as each session's source says; weekly flows: CoinShares; derivatives: public exchange APIs and the CFTC.</p>\n")
            .Append("<p>Charts drawn with Chart.js and chartjs-plugin-annotation, served by this app (licences: <a href=\"")
            .Append(Encode(model.AssetBasePath + DashboardAssets.ChartJsLicense)).Append("\">Chart.js, MIT</a>, <a href=\"")
            .Append(Encode(model.AssetBasePath + DashboardAssets.AnnotationLicense)).Append("\">annotation plugin, MIT</a>). Generated ")
            .Append(Encode(model.GeneratedUtc.UtcDateTime.ToString("d MMM yyyy HH:mm", Inv))).Append(" UTC.</p>\n</footer>\n");
    }

    internal static List<(string Regime, string From, string To)> RegimeRuns(IReadOnlyList<string> sessions, IReadOnlyList<string?> regimes)
    {
        var runs = new List<(string Regime, string From, string To)>();
        for (var i = 0; i < sessions.Count; i++)
        {
            if (regimes[i] is not { } r) continue;
            if (runs.Count > 0 && runs[^1].Regime == r && i > 0 && regimes[i - 1] == r) runs[^1] = (r, runs[^1].From, sessions[i]);
            else runs.Add((r, sessions[i], sessions[i]));
        }

        return runs;
    }

    private static string Note(bool provisional, string? streak)
    {
        var parts = new List<string>();
        if (provisional) parts.Add("provisional");
        if (streak is not null) parts.Add(streak + " run");
        return string.Join(", ", parts);
    }

    private static string StatusIcon(ScenarioStatus status) => status switch
    {
        ScenarioStatus.Confirmed => "✔",
        ScenarioStatus.Triggered => "●",
        ScenarioStatus.Building => "◐",
        _ => "○",
    };

    private static string MetClass(bool? met) => met switch { true => "met", false => "not-met", null => "unknown" };

    private static string MetIcon(bool? met) => met switch { true => "✓", false => "✗", null => "?" };

    private static string MetText(bool? met) => met switch { true => "Met", false => "Not met", null => "Unknown" };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    private static string Day(DateOnly d) => d.ToString("ddd d MMM yyyy", Inv);

    private static string ShortDay(string iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d.ToString("d MMM", Inv) : iso;

    /// <summary>US$m with sign and one decimal: "+524.0", "−566.4".</summary>
    public static string Flow(decimal value) =>
        (value > 0 ? "+" : value < 0 ? "−" : "") + Math.Abs(value).ToString("#,##0.0", Inv);

    private static string Pct(decimal value) => value.ToString("0.0#", Inv) + "%";

    private static string Num(decimal value) => value.ToString("#,##0.##", Inv);
}
