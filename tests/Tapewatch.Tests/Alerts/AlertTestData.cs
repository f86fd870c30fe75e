using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Tests.Alerts;

/// <summary>Builds small evaluations and replays them through the lifecycle like the listener does.</summary>
internal static class AlertTestData
{
    public static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>22:00 UTC on the session's date: after the close, before the next morning's cut-off.</summary>
    public static DateTimeOffset Evening(DateOnly session) => new(session.ToDateTime(new TimeOnly(22, 0)), TimeSpan.Zero);

    public static ScenarioResult Scenario(ScenarioKind kind, ScenarioStatus status, DateOnly? episodeStart = null, int streak = 0, string summary = "") => new()
    {
        Scenario = kind,
        Status = status,
        StreakLength = streak,
        StreakTarget = kind switch { ScenarioKind.Rebuild => 3, ScenarioKind.Caution => 4, _ => 1 },
        EpisodeStart = status >= ScenarioStatus.Triggered ? episodeStart : null,
        Summary = summary,
        Conditions =
        [
            new ConditionResult { Id = $"{kind}.trigger", Text = "Trigger <streak> & co", IsTrigger = true, Threshold = "< 0", Observed = "-186.5", Met = status >= ScenarioStatus.Triggered, Dataset = Datasets.EtfFlows, Source = "farside", AsOf = episodeStart },
            new ConditionResult { Id = $"{kind}.confirm.basis", Text = "3m basis ≤ 3%", Threshold = "≤ 3%", Observed = "2.1%", Met = status == ScenarioStatus.Confirmed, Dataset = Datasets.Derivatives, Source = "okx" },
            new ConditionResult { Id = $"{kind}.confirm.coinshares", Text = "CoinShares week ≤ −1,000", Threshold = "≤ −1,000", Met = null, UnknownReason = "no report yet", Dataset = Datasets.WeeklyFlows },
        ],
    };

    public static RegimeEvaluation Evaluation(
        DateOnly session,
        bool provisional = false,
        Regime regime = Regime.Neutral,
        IEnumerable<ScenarioResult>? scenarios = null,
        IEnumerable<string>? staleDatasets = null,
        DateTimeOffset? updatedUtc = null)
    {
        var list = (scenarios ?? []).ToList();
        foreach (var kind in Enum.GetValues<ScenarioKind>().Where(k => list.All(s => s.Scenario != k)))
        {
            list.Add(Scenario(kind, ScenarioStatus.Idle));
        }

        var stale = new HashSet<string>(staleDatasets ?? []);
        return new RegimeEvaluation
        {
            AsOfSession = session,
            Provisional = provisional,
            Regime = regime,
            Headline = $"{regime} as of {session:yyyy-MM-dd} <b>&</b>",
            Scenarios = list.OrderBy(s => s.Scenario).ToList(),
            Signals = [],
            Freshness =
            [
                .. new[] { Datasets.EtfFlows, Datasets.WeeklyFlows, Datasets.Derivatives }.Select(d => new DatasetFreshness
                {
                    Dataset = d,
                    Stale = stale.Contains(d),
                    LatestAsOf = session,
                    LastUpdatedUtc = updatedUtc ?? Evening(session).AddHours(-1),
                }),
            ],
            EvaluatedUtc = Evening(session),
        };
    }
}

/// <summary>Keeps the ledger between evaluations, as the table would.</summary>
internal sealed class LifecycleHarness(AlertLifecycle lifecycle)
{
    private readonly Dictionary<string, AlertState> _alerts = new(StringComparer.Ordinal);
    private AlertCursor? _cursor;

    public List<Silence> Silences { get; } = [];

    public AlertLedger Ledger => new([.. _alerts.Values], _cursor);

    public AlertDecision Apply(RegimeEvaluation evaluation, DateTimeOffset now)
    {
        var decision = lifecycle.Decide(evaluation, Ledger, Silences, now);
        foreach (var state in decision.Changed) _alerts[state.Identity] = state;
        if (decision.Cursor is not null) _cursor = decision.Cursor;
        return decision;
    }
}
