using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Html;
using RazorSlices;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Dashboard.Templates;

/// <summary>
/// Renders the dashboard from its Razor Slices templates (<c>Page.cshtml</c> in <c>Layout.cshtml</c>, one partial per
/// section). The templates HTML-encode every value they write — this class only chooses the encoder; the one raw value
/// is the chart data, JSON in a non-executable <c>&lt;script type="application/json"&gt;</c> with '&lt;' escaped.
/// Also the text formats the templates share (dates, flows, percentages).
/// </summary>
public static class DashboardPage
{
    public const string DataElementId = "dashboard-data";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly HtmlEncoder Html = SliceText.Encoder;

    private static readonly JsonSerializerOptions ChartJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Default,
        WriteIndented = false,
    };

    public static async Task<string> RenderAsync(DashboardModel model, CancellationToken cancellationToken = default)
    {
        using var slice = Page.Create(model);
        await using var writer = new StringWriter(Inv);
        await slice.RenderAsync(writer, Html, cancellationToken).ConfigureAwait(false);
        return writer.ToString();
    }

    /// <summary>JSON safe inside a script element: no '&lt;' (so no "&lt;/script&gt;" or "&lt;!--"), HTML-significant characters escaped.</summary>
    public static string ChartDataJson(DashboardChartData data) =>
        JsonSerializer.Serialize(data, ChartJson).Replace("<", "\\u003c", StringComparison.Ordinal);

    /// <summary><see cref="ChartDataJson"/> for the layout's data element: written as is, which its escaping makes safe.</summary>
    internal static HtmlString ChartDataScript(DashboardChartData data) => new(ChartDataJson(data));

    public const string EvidenceElementId = "evidence-data";

    /// <summary>The evidence charts' data: daily closes, episode spans, the sweep's mean 10-session return per value (same escaping as the chart data).</summary>
    public static string EvidenceDataJson(DashboardEvidence evidence)
    {
        var data = new DashboardEvidenceData(
            [.. evidence.Prices.Select(p => new ChartPrice(Iso(p.Date), p.Close))],
            [.. evidence.Episodes.Select(ChartEpisode.Of)],
            evidence.Sweep is not { } sweep
                ? null
                : new DashboardSweepData(
                    sweep.Setting,
                    [.. sweep.Rows.Select(r => r.Value)],
                    [.. sweep.Rows.Select(r => TenSessionMean(r.InSample))],
                    [.. sweep.Rows.Select(r => TenSessionMean(r.OutOfSample))]));
        return JsonSerializer.Serialize(data, ChartJson).Replace("<", "\\u003c", StringComparison.Ordinal);
    }

    internal static HtmlString EvidenceDataScript(DashboardEvidence evidence) => new(EvidenceDataJson(evidence));

    internal static decimal? TenSessionMean(IReadOnlyList<ScenarioEvidence>? evidence) =>
        evidence?.FirstOrDefault()?.Horizons.FirstOrDefault(h => h.Horizon == 10)?.MeanPct;

    internal static string SignedPct(decimal? value) =>
        value is { } v ? (v > 0 ? "+" : v < 0 ? "−" : "") + Math.Abs(v).ToString("0.00", Inv) + "%" : "–";

    internal static string Share(decimal? value) => value is { } v ? v.ToString("0.0", Inv) + "%" : "–";

    /// <summary>US$m with sign and one decimal: "+524.0", "−566.4".</summary>
    public static string Flow(decimal value) =>
        (value > 0 ? "+" : value < 0 ? "−" : "") + Math.Abs(value).ToString("#,##0.0", Inv);

    internal static string Pct(decimal value) => value.ToString("0.0#", Inv) + "%";

    internal static string Num(decimal value) => value.ToString("#,##0.##", Inv);

    internal static string Int(int value) => value.ToString(Inv);

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    internal static string Day(DateOnly d) => d.ToString("ddd d MMM yyyy", Inv);

    internal static string ShortDay(string iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d.ToString("d MMM", Inv) : iso;

    internal static string UtcIso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv);

    internal static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy HH:mm", Inv);

    internal static string StatusIcon(ScenarioStatus status) => status switch
    {
        ScenarioStatus.Confirmed => "✔",
        ScenarioStatus.Triggered => "●",
        ScenarioStatus.Building => "◐",
        _ => "○",
    };

    internal static string MetClass(bool? met) => met switch { true => "met", false => "not-met", null => "unknown" };

    internal static string MetIcon(bool? met) => met switch { true => "✓", false => "✗", null => "?" };

    internal static string MetText(bool? met) => met switch { true => "Met", false => "Not met", null => "Unknown" };

    internal static (string State, string Icon, string Text) SignalState(bool? active) => active switch
    {
        true => ("active", "●", "Active"),
        false => ("inactive", "○", "Inactive"),
        null => ("unknown", "?", "Unknown"),
    };

    /// <summary>The observed text, else the observed value, else "n/a".</summary>
    internal static string Observed(ConditionResult c) => c.Observed ?? (c.ObservedValue is { } v ? v.ToString("0.0##", Inv) : "n/a");

    /// <summary>"as of …", the source (else the dataset) and why a condition is unknown, joined by " · "; empty when none.</summary>
    internal static string ConditionMeta(ConditionResult c)
    {
        var meta = new List<string>();
        if (c.AsOf is { } asOf) meta.Add("as of " + Day(asOf));
        if (!string.IsNullOrWhiteSpace(c.Source)) meta.Add("source " + c.Source);
        else if (!string.IsNullOrWhiteSpace(c.Dataset)) meta.Add("dataset " + c.Dataset);
        if (c.Met is null && !string.IsNullOrWhiteSpace(c.UnknownReason)) meta.Add("unknown: " + c.UnknownReason);
        return string.Join(" · ", meta);
    }

    /// <summary>A window link's query; the function key the page was opened with stays on it.</summary>
    internal static string WindowQuery(int days, string? accessCode) =>
        "?days=" + days.ToString(Inv) + (accessCode is { } code ? "&code=" + Uri.EscapeDataString(code) : "");

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
}

/// <summary>The dashboard's evidence charts' data, as its script reads it (a sweep of null is written as null).</summary>
public sealed record DashboardEvidenceData(IReadOnlyList<ChartPrice> Prices, IReadOnlyList<ChartEpisode> Episodes, DashboardSweepData? Sweep);

/// <summary>The sweep's mean 10-session return per value, in and out of sample.</summary>
public sealed record DashboardSweepData(string Setting, IReadOnlyList<decimal> Values, IReadOnlyList<decimal?> InSample, IReadOnlyList<decimal?> OutOfSample);
