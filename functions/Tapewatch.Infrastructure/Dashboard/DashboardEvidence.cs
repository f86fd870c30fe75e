using System.Text.Json;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Evidence;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>The dashboard's Evidence section: what followed each scenario on the stored history.</summary>
public sealed record DashboardEvidence
{
    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public required int Sessions { get; init; }

    public required IReadOnlyList<SeriesCoverage> Series { get; init; }

    public required IReadOnlyList<ScenarioEvidence> Evidence { get; init; }

    public required IReadOnlyList<BacktestEpisode> Episodes { get; init; }

    public required IReadOnlyList<BacktestSummaryRow> Summary { get; init; }

    /// <summary>BTC closes over the replayed sessions' dates (for the price chart).</summary>
    public required IReadOnlyList<(DateOnly Date, decimal Close)> Prices { get; init; }

    /// <summary>The Rebuild trigger threshold around its configured value, in and out of sample; null with too little history.</summary>
    public SweepReport? Sweep { get; init; }
}

/// <summary>
/// Replays the stored sessions with the bundled history (stored closes and readings win) and the configured rules, and
/// keeps the result until the stored inputs change (their watermark) or the last session moves.
/// </summary>
public sealed class DashboardEvidenceBuilder(EvaluationInputsLoader loader, RegimeEngine engine, IOptions<RulesOptions> rules)
{
    /// <summary>Below this many sessions with closes the evidence is not shown (nothing to say yet).</summary>
    public const int MinimumSessions = 40;

    private static readonly decimal[] SweepOffsets = [-100m, -50m, 0m, 50m, 100m];

    private readonly Lock _gate = new();
    private (DateTimeOffset Watermark, DateOnly To, DashboardEvidence? Evidence)? _cached;

    public async Task<DashboardEvidence?> BuildAsync(DateOnly to, CancellationToken cancellationToken)
    {
        var stored = await loader.LoadAsync(RuleInputs.EtfLaunch, to, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_cached is { } hit && hit.Watermark == stored.Watermark && hit.To == to) return hit.Evidence;
        }

        var evidence = Build(stored, to);
        lock (_gate)
        {
            _cached = (stored.Watermark, to, evidence);
        }

        return evidence;
    }

    private DashboardEvidence? Build(RuleInputs stored, DateOnly to)
    {
        var (inputs, history) = HistoryInputs.Combine(stored, BundledHistory.Load());
        var from = inputs.SessionDates.FirstOrDefault(d => d >= RuleInputs.EtfLaunch);
        var dates = inputs.SessionDates.Where(d => d >= from && d <= to).ToList();
        if (dates.Count(d => history.Closes.ContainsKey(d)) < MinimumSessions) return null;

        var result = Backtest.Run(engine, inputs, from, to, history.Closes);
        if (result.Evidence is null) return null;
        var series = new List<SeriesCoverage> { new("flows: stored sessions", dates[0], dates[^1], dates.Count) };
        if (history.ClosesCoverage is { } closes) series.Add(closes with { Source = "closes: " + closes.Source });
        if (history.FundingCoverage is { } funding) series.Add(funding with { Source = "funding: " + funding.Source });
        return new DashboardEvidence
        {
            From = dates[0],
            To = dates[^1],
            Sessions = dates.Count,
            Series = series,
            Evidence = result.Evidence,
            Episodes = result.Episodes,
            Summary = result.Summary,
            Prices = [.. dates.Where(history.Closes.ContainsKey).Select(d => (d, history.Closes[d]))],
            Sweep = Sweep(inputs, dates, history.Closes),
        };
    }

    /// <summary>Rebuild's daily-flow threshold at its configured value ± 50 and ± 100, split at the first session of the last third.</summary>
    private SweepReport Sweep(RuleInputs inputs, List<DateOnly> dates, IReadOnlyDictionary<DateOnly, decimal> closes)
    {
        var split = dates[dates.Count * 2 / 3];
        var rows = new List<SweepRow>();
        foreach (var value in SweepOffsets.Select(o => rules.Value.Rebuild.MinDailyFlowUsdM + o).Where(v => v > 0))
        {
            // A copy of the configured rules with one threshold changed (the options object itself is shared).
            var options = JsonSerializer.Deserialize<RulesOptions>(JsonSerializer.Serialize(rules.Value, StoredJson.Options), StoredJson.Options)!;
            options.Rebuild.MinDailyFlowUsdM = value;
            var run = Backtest.Run(new RegimeEngine(options, engine.Calendar), inputs, dates[0], dates[^1], closes);
            rows.Add(Backtest.SweepRowOf(value, run, split, dates, inputs.SessionDates, closes, [ScenarioKind.Rebuild]));
        }

        return new SweepReport { Setting = "Rebuild.MinDailyFlowUsdM", InSampleFrom = dates[0], Split = split, OutOfSampleTo = dates[^1], Rows = rows };
    }
}
