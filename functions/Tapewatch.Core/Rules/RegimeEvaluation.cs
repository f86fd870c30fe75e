namespace Tapewatch.Core.Rules;

public enum ScenarioKind
{
    Rebuild,
    Caution,
    Snapback,
}

/// <summary>Ordered: a higher value is a stronger status.</summary>
public enum ScenarioStatus
{
    Idle,
    Building,
    Triggered,
    Confirmed,
}

/// <summary>One label; the first match in DESIGN §3's order wins.</summary>
public enum Regime
{
    Neutral,
    Reset,
    Stabilizing,
    Rebuild,
    Caution,
    Snapback,
}

/// <summary>Datasets whose freshness matters (and which DataStale alerts name).</summary>
public static class Datasets
{
    public const string EtfFlows = "etf-flows";
    public const string WeeklyFlows = "weekly-flows";
    public const string Derivatives = "derivatives";
}

/// <summary>
/// One condition of a scenario or signal, with its evidence. <see cref="Met"/> null = unknown (input
/// missing or stale) — never silently true or false.
/// </summary>
public sealed record ConditionResult
{
    /// <summary>Stable id, e.g. "rebuild.trigger.streak", "caution.confirm.coinshares".</summary>
    public required string Id { get; init; }

    /// <summary>Human text, e.g. "Last 3 sessions each ≥ +200".</summary>
    public required string Text { get; init; }

    /// <summary>True for the trigger condition, false for confirmations and risk flags.</summary>
    public bool IsTrigger { get; init; }

    /// <summary>True for a risk flag (shown, never required for Confirmed).</summary>
    public bool IsRiskFlag { get; init; }

    /// <summary>Observed value as a number (flows US$m, percentages as 8.5), null when unknown.</summary>
    public decimal? ObservedValue { get; init; }

    /// <summary>Observed value formatted for people, e.g. "+524.0 (streak 1 of 3)".</summary>
    public string? Observed { get; init; }

    /// <summary>Threshold formatted for people, e.g. "≥ +200.0".</summary>
    public required string Threshold { get; init; }

    public bool? Met { get; init; }

    /// <summary>New York date of the input used (session, week-ending Friday, CFTC report date).</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Dataset it came from (see <see cref="Datasets"/>).</summary>
    public string? Dataset { get; init; }

    /// <summary>Source within the dataset (farside, sosovalue, coinshares, binance+okx…).</summary>
    public string? Source { get; init; }

    /// <summary>Why the condition is unknown, when it is.</summary>
    public string? UnknownReason { get; init; }
}

public sealed record ScenarioResult
{
    public required ScenarioKind Scenario { get; init; }

    public required ScenarioStatus Status { get; init; }

    /// <summary>Progress of the trigger streak: k of n (n = 1 for Snapback's single-session trigger).</summary>
    public required int StreakLength { get; init; }

    public required int StreakTarget { get; init; }

    /// <summary>True when a data gap makes the streak unknown.</summary>
    public bool StreakUnknown { get; init; }

    /// <summary>First session of the current triggered episode (null when not triggered).</summary>
    public DateOnly? EpisodeStart { get; init; }

    public required IReadOnlyList<ConditionResult> Conditions { get; init; }

    public string Summary { get; init; } = "";
}

public sealed record SignalResult
{
    /// <summary>"stabilizing", "etf-led", "deleveraging".</summary>
    public required string Id { get; init; }

    public required string Text { get; init; }

    /// <summary>null = unknown.</summary>
    public bool? Active { get; init; }

    public string? Observed { get; init; }

    public IReadOnlyList<ConditionResult> Conditions { get; init; } = [];
}

public sealed record DatasetFreshness
{
    public required string Dataset { get; init; }

    /// <summary>Latest date the dataset covers (session, week-ending, snapshot session).</summary>
    public DateOnly? LatestAsOf { get; init; }

    public DateTimeOffset? LastUpdatedUtc { get; init; }

    public required bool Stale { get; init; }

    public string? Note { get; init; }
}

/// <summary>The engine's output for one as-of session: what GET /api/regime returns.</summary>
public sealed record RegimeEvaluation
{
    public required DateOnly AsOfSession { get; init; }

    /// <summary>True when the as-of session (or one the streaks rely on) is still provisional.</summary>
    public required bool Provisional { get; init; }

    public required Regime Regime { get; init; }

    /// <summary>One sentence, e.g. "Reset: the week to 7 Nov summed −1,208.4m; Caution not triggered (red streak 1 of 4)."</summary>
    public required string Headline { get; init; }

    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }

    public required IReadOnlyList<SignalResult> Signals { get; init; }

    public required IReadOnlyList<DatasetFreshness> Freshness { get; init; }

    /// <summary>Total net flow of the as-of session, US$m.</summary>
    public decimal? SessionTotalUsdM { get; init; }

    public DateTimeOffset EvaluatedUtc { get; init; }

    /// <summary>Conditions behind the regime label that belong to no scenario (the Reset rule's completed weeks).</summary>
    public IReadOnlyList<ConditionResult> RegimeConditions { get; init; } = [];

    public ScenarioResult Scenario(ScenarioKind kind) => Scenarios.First(s => s.Scenario == kind);
}

/// <summary>
/// Called by the evaluator after it stored an evaluation (e.g. the alert lifecycle). Throwing makes
/// the queue message retry, so listeners must be idempotent.
/// </summary>
public interface IEvaluationListener
{
    Task OnEvaluatedAsync(RegimeEvaluation evaluation, CancellationToken cancellationToken);
}
