using static Tapewatch.Infrastructure.Dashboard.Templates.DashboardPage;

namespace Tapewatch.Infrastructure.Dashboard.Templates;

/// <summary>One chart of the tape as <c>ChartFigure.cshtml</c> draws it: caption, accessible name, text summary and data table.</summary>
public sealed record ChartFigure(
    string Id,
    string Title,
    string Legend,
    string AriaLabel,
    string Summary,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>The text of the tape's charts (titles, legends, summaries, data tables) from the chart series.</summary>
internal static class ChartFigures
{
    public static IReadOnlyList<ChartFigure> For(DashboardChartData c) => [Flows(c), Weekly(c), Basis(c), Derivatives(c)];

    /// <summary>The regime timeline's summary: one run of sessions per regime, in order.</summary>
    public static string TimelineSummary(DashboardChartData c)
    {
        var runs = RegimeRuns(c.Sessions, c.Regimes);
        return runs.Count == 0 ? "No evaluations stored for this window."
            : string.Join("; ", runs.Select(r => r.From == r.To ? $"{r.Regime} {ShortDay(r.From)}" : $"{r.Regime} {ShortDay(r.From)} – {ShortDay(r.To)}")) + ".";
    }

    private static ChartFigure Flows(DashboardChartData c)
    {
        var t = c.Thresholds;
        var flows = c.Sessions.Select((d, i) => (Date: d, Value: c.Flows[i], Provisional: c.Provisional[i], Streak: c.Streak[i])).ToList();
        var known = flows.Where(f => f.Value is not null).ToList();
        var summary = known.Count == 0
            ? "No ETF sessions stored in this window."
            : $"{known.Count} of {flows.Count} sessions have data; latest {ShortDay(known[^1].Date)} {Flow(known[^1].Value!.Value)}m; " +
              $"highest {Flow(known.Max(f => f.Value!.Value))}m, lowest {Flow(known.Min(f => f.Value!.Value))}m; " +
              $"{known.Count(f => f.Value >= 0)} green, {known.Count(f => f.Value < 0)} red; " +
              $"{flows.Count(f => f.Streak is not null)} sessions in trigger runs.";
        return new ChartFigure(
            "flows",
            "Daily ETF net flows (US$m)",
            $"Bars: green inflow, red outflow. Outlined, darker bars belong to a run that meets a trigger ({t.RebuildStreak} sessions ≥ +{Num(t.RebuildSessionMin)} Rebuild, {t.CautionStreak} sessions < 0 Caution, one session ≥ +{Num(t.SnapbackSessionMin)} Snapback); faded bars are provisional. Dashed lines at ±{Num(t.RebuildSessionMin)} and +{Num(t.SnapbackSessionMin)}.",
            "Daily US spot bitcoin ETF net flows bar chart. " + summary,
            summary,
            ["Session", "Net flow (US$m)", "Note"],
            [.. flows.Select(f => Row(f.Date, f.Value is { } v ? Flow(v) : "no data", Note(f.Provisional, f.Streak)))]);
    }

    private static ChartFigure Weekly(DashboardChartData c)
    {
        var weeks = c.Weeks.Select((w, i) => (Week: w, Us: c.WeeksUsEtf[i], Cs: c.WeeksCoinShares[i], Partial: c.WeeksPartial[i])).ToList();
        var lastFullWeek = weeks.LastOrDefault(w => w.Us is not null && !w.Partial);
        var summary = weeks.Count == 0 ? "No weeks in this window."
            : $"{weeks.Count} weeks; {weeks.Count(w => w.Cs is not null)} with a CoinShares report" +
              (lastFullWeek.Us is { } lastUs ? $"; week to {ShortDay(lastFullWeek.Week)}: US ETF {Flow(lastUs)}m, CoinShares global {(lastFullWeek.Cs is { } cs ? Flow(cs) + "m" : "not reported")}." : ".");
        return new ChartFigure(
            "weekly",
            "Weekly ledger: US ETF sum vs CoinShares global (US$m)",
            "Per week ending Friday: the sum of the US spot ETF sessions, next to the CoinShares global digital-asset fund flow for the same week.",
            "Weekly ledger grouped bar chart. " + summary,
            summary,
            ["Week ending", "US ETF sum (US$m)", "CoinShares global (US$m)"],
            [.. weeks.Select(w => Row(w.Week, w.Us is { } u ? Flow(u) + (w.Partial ? " (to date)" : "") : "incomplete", w.Cs is { } cs ? Flow(cs) : "not reported"))]);
    }

    private static ChartFigure Basis(DashboardChartData c)
    {
        var t = c.Thresholds;
        var basis = c.Sessions.Select((d, i) => (Date: d, Value: c.Basis[i])).ToList();
        var known = basis.Where(b => b.Value is not null).ToList();
        var summary = known.Count == 0 ? "No basis readings in this window."
            : $"{known.Count} readings; latest {ShortDay(known[^1].Date)} {Pct(known[^1].Value!.Value)}; range {Pct(known.Min(b => b.Value!.Value))} to {Pct(known.Max(b => b.Value!.Value))}.";
        return new ChartFigure(
            "basis",
            "3-month annualised basis (%)" + Illustrative(c),
            $"Bands: ≤ {Num(t.BasisCautionMax)}% (Caution), ≥ {Num(t.BasisRebuildMin)}% (Rebuild), ≥ {Num(t.BasisSnapbackMin)}% (Snapback).",
            "3-month annualised basis line chart with bands. " + summary,
            summary,
            ["Session", "Basis (%)"],
            [.. basis.Select(b => Row(b.Date, b.Value is { } v ? Pct(v) : "no data"))]);
    }

    private static ChartFigure Derivatives(DashboardChartData c)
    {
        var t = c.Thresholds;
        var deriv = c.Sessions.Select((d, i) => (Date: d, Funding: c.Funding[i], Offshore: c.OffshoreOpenInterest[i], Cme: c.CmeOpenInterest[i])).ToList();
        var fundingKnown = deriv.Where(d => d.Funding is not null).ToList();
        var oiKnown = deriv.Where(d => d.Offshore is not null).ToList();
        var summary = (fundingKnown.Count == 0 ? "No funding readings" : $"Funding latest {Pct(fundingKnown[^1].Funding!.Value)} annualised")
            + "; " + (oiKnown.Count == 0 ? "no open-interest readings." : $"offshore open interest latest {Num(oiKnown[^1].Offshore!.Value)} BTC ({ShortDay(oiKnown[^1].Date)}).");
        return new ChartFigure(
            "derivatives",
            "Funding (annualised %) and open interest (BTC)" + Illustrative(c),
            $"Funding on the left axis with lines at {Num(t.FundingSubduedMax)}% (subdued) and {Num(t.FundingRiskMin)}% (late-cycle risk); offshore and CME open interest on the right axis.",
            "Funding and open interest line chart. " + summary,
            summary,
            ["Session", "Funding (%)", "Offshore OI (BTC)", "CME OI (BTC)"],
            [.. deriv.Select(d => Row(d.Date, d.Funding is { } f ? Pct(f) : "no data", d.Offshore is { } o ? Num(o) : "no data", d.Cme is { } m ? Num(m) : "no data"))]);
    }

    private static string Illustrative(DashboardChartData c) => c.DerivativesIllustrative ? " — illustrative data" : "";

    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    private static string Note(bool provisional, string? streak)
    {
        var parts = new List<string>();
        if (provisional) parts.Add("provisional");
        if (streak is not null) parts.Add(streak + " run");
        return string.Join(", ", parts);
    }
}
