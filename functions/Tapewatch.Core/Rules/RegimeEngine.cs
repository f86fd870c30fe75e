using Tapewatch.Core.Time;
using static Tapewatch.Core.Rules.RuleFormat;

namespace Tapewatch.Core.Rules;

/// <summary>
/// The scenario engine (DESIGN §3), pure: sessions, weekly snapshots, derivatives readings, the calendar and
/// the options in; one <see cref="RegimeEvaluation"/> per as-of session out. The same engine serves the queue
/// evaluator, the HTTP API and the backtest.
/// </summary>
public sealed class RegimeEngine
{
    public RegimeEngine(RulesOptions options, TradingCalendar calendar)
    {
        Options = options;
        Calendar = calendar;
    }

    public RulesOptions Options { get; }

    public TradingCalendar Calendar { get; }

    /// <summary>Evaluates the scenarios as of one session.</summary>
    /// <param name="inputs">The data (sessions before and at <paramref name="asOf"/>; later data is ignored except for staleness).</param>
    /// <param name="asOf">The as-of session (New York date).</param>
    /// <param name="now">Wall clock for the ETF-flows staleness check; null (backtest, history) evaluates point-in-time.</param>
    /// <param name="evaluatedUtc">Stamped on the result.</param>
    public RegimeEvaluation Evaluate(RuleInputs inputs, DateOnly asOf, DateTimeOffset? now = null, DateTimeOffset evaluatedUtc = default)
    {
        var ctx = new RuleContext(inputs, Calendar, Options, asOf, now);

        var rebuild = Scenario(ScenarioKind.Rebuild, FlowConditions.RebuildStreak(ctx),
        [
            DerivativesConditions.RebuildBasisLevel(ctx),
            DerivativesConditions.RebuildBasisRising(ctx),
            DerivativesConditions.RebuildOffshoreOi(ctx),
            DerivativesConditions.RebuildCmeOi(ctx),
            DerivativesConditions.RebuildFunding(ctx),
        ]);
        var caution = Scenario(ScenarioKind.Caution, FlowConditions.CautionStreak(ctx),
        [
            WeeklyConditions.CautionCoinShares(ctx),
            DerivativesConditions.CautionBasis(ctx),
            DerivativesConditions.CautionOffshoreOi(ctx),
        ]);
        var snapback = Scenario(ScenarioKind.Snapback, FlowConditions.SnapbackSession(ctx),
        [
            FlowConditions.SnapbackLedgerFlip(ctx),
            DerivativesConditions.SnapbackBasis(ctx),
            DerivativesConditions.SnapbackFundingRisk(ctx),
        ]);

        var stabilizing = Signal("stabilizing", "Stabilizing: latest session in the stabilizing band after a negative week",
            [FlowConditions.StabilizingSession(ctx), FlowConditions.StabilizingPreviousWeek(ctx)]);
        var etfLedCondition = WeeklyConditions.EtfLedRatio(ctx);
        var etfLed = new SignalResult
        {
            Id = "etf-led",
            Text = "ETF-led vs broad: US ETFs carry the global weekly flow",
            Active = etfLedCondition.Met,
            Observed = etfLedCondition.Met switch { true => "ETF-led", false => "broad", _ => null },
            Conditions = [etfLedCondition],
        };
        var deleveraging = Signal("deleveraging", "Deleveraging: basis in the 4\u20136% band, funding and open interest falling",
        [
            DerivativesConditions.DeleveragingBasis(ctx),
            DerivativesConditions.DeleveragingFundingFalling(ctx),
            DerivativesConditions.DeleveragingOiFalling(ctx),
        ]);
        var reset = FlowConditions.ResetWeeks(ctx);

        var scenarios = new[] { rebuild, caution, snapback };
        var regime = DecideRegime(rebuild, caution, snapback, stabilizing, reset);
        var provisional = ctx.ProvisionalUsed;
        var freshness = Freshness(ctx);

        return new RegimeEvaluation
        {
            AsOfSession = asOf,
            Provisional = provisional,
            Regime = regime,
            Headline = Headline(ctx, regime, rebuild, caution, snapback, stabilizing, reset, provisional),
            Scenarios = scenarios,
            Signals = [stabilizing, etfLed, deleveraging],
            Freshness = freshness,
            SessionTotalUsdM = ctx.AsOfSession?.TotalUsdM,
            EvaluatedUtc = evaluatedUtc,
            RegimeConditions = [reset],
        };
    }

    /// <summary>First match wins: Snapback → Caution → Rebuild (each at Triggered or above) → Stabilizing → Reset → Neutral.</summary>
    public static Regime DecideRegime(ScenarioResult rebuild, ScenarioResult caution, ScenarioResult snapback, SignalResult stabilizing, ConditionResult reset)
    {
        if (snapback.Status >= ScenarioStatus.Triggered) return Regime.Snapback;
        if (caution.Status >= ScenarioStatus.Triggered) return Regime.Caution;
        if (rebuild.Status >= ScenarioStatus.Triggered) return Regime.Rebuild;
        if (stabilizing.Active == true) return Regime.Stabilizing;
        if (reset.Met == true) return Regime.Reset;
        return Regime.Neutral;
    }

    /// <summary>
    /// Idle (nothing met) → Building (streak under way or some confirmation met) → Triggered (trigger met) →
    /// Confirmed (trigger and every confirmation met; an unknown confirmation blocks it). Risk flags never count.
    /// </summary>
    public static ScenarioStatus DecideStatus(TriggerEvaluation trigger, IReadOnlyList<ConditionResult> confirmations)
    {
        var required = confirmations.Where(c => !c.IsRiskFlag).ToList();
        if (trigger.Condition.Met == true)
        {
            return required.All(c => c.Met == true) ? ScenarioStatus.Confirmed : ScenarioStatus.Triggered;
        }

        return trigger.Length > 0 || required.Any(c => c.Met == true) ? ScenarioStatus.Building : ScenarioStatus.Idle;
    }

    private static ScenarioResult Scenario(ScenarioKind kind, TriggerEvaluation trigger, IReadOnlyList<ConditionResult> confirmations)
    {
        var status = DecideStatus(trigger, confirmations);
        var required = confirmations.Where(c => !c.IsRiskFlag).ToList();
        var met = required.Count(c => c.Met == true);
        var unknown = required.Count(c => c.Met is null);
        var risk = confirmations.Where(c => c.IsRiskFlag && c.Met == true).Select(c => c.Text).ToList();
        var summary = $"{status}: {(trigger.Target > 1 ? $"streak {trigger.Length}{(trigger.Unknown ? "+?" : "")} of {trigger.Target}" : trigger.Condition.Met == true ? "trigger met" : trigger.Condition.Met is null ? "trigger unknown" : "trigger not met")}; "
            + $"{met} of {required.Count} confirmations met{(unknown > 0 ? $", {unknown} unknown" : "")}{(risk.Count > 0 ? "; " + string.Join("; ", risk) : "")}";
        return new ScenarioResult
        {
            Scenario = kind,
            Status = status,
            StreakLength = trigger.Length,
            StreakTarget = trigger.Target,
            StreakUnknown = trigger.Unknown,
            EpisodeStart = status >= ScenarioStatus.Triggered ? trigger.EpisodeStart : null,
            Conditions = [trigger.Condition, .. confirmations],
            Summary = summary,
        };
    }

    private static SignalResult Signal(string id, string text, IReadOnlyList<ConditionResult> conditions)
    {
        var active = ConditionFactory.AllMet(conditions);
        return new SignalResult
        {
            Id = id,
            Text = text,
            Active = active,
            Observed = string.Join("; ", conditions.Select(c => c.Observed ?? "unknown")),
            Conditions = conditions,
        };
    }

    private List<DatasetFreshness> Freshness(RuleContext ctx)
    {
        var latestSession = ctx.Inputs.LatestSessionOnOrBefore(ctx.AsOf);
        var session = latestSession is { } ls ? ctx.Inputs.Session(ls) : null;
        var latestWeek = ctx.Inputs.LatestWeekPublishedBy(ctx.AsOf);
        var latestReading = ctx.Inputs.DerivativesOnOrBefore(ctx.AsOf);
        return
        [
            new DatasetFreshness
            {
                Dataset = Datasets.EtfFlows,
                LatestAsOf = latestSession,
                LastUpdatedUtc = session?.LastChangedUtc is { } c && c != default ? c : null,
                Stale = ctx.EtfStaleReason is not null || ctx.AsOfSession is null,
                Note = ctx.EtfStaleReason ?? (ctx.AsOfSession is null ? $"no usable ETF flows for {DateIso(ctx.AsOf)}" : session?.Status == Domain.SessionStatus.Provisional ? $"{DateIso(session.Date)} is provisional (pending: {string.Join(", ", session.PendingFunds)})" : null),
            },
            new DatasetFreshness
            {
                Dataset = Datasets.WeeklyFlows,
                LatestAsOf = latestWeek?.WeekEnding,
                LastUpdatedUtc = latestWeek?.LastChangedUtc is { } w && w != default ? w : null,
                Stale = ctx.Week is null,
                Note = ctx.WeeklyStaleReason,
            },
            new DatasetFreshness
            {
                Dataset = Datasets.Derivatives,
                LatestAsOf = latestReading?.Session,
                LastUpdatedUtc = latestReading?.AsOfUtc is { } d && d != default ? d : null,
                Stale = ctx.Reading is null,
                Note = ctx.ReadingStaleReason ?? (ctx.Reading?.Illustrative == true ? "illustrative (sample) readings, not market data" : null),
            },
        ];
    }

    private string Headline(RuleContext ctx, Regime regime, ScenarioResult rebuild, ScenarioResult caution, ScenarioResult snapback, SignalResult stabilizing, ConditionResult reset, bool provisional)
    {
        var date = Date(ctx.AsOf);
        var total = ctx.AsOfSession?.TotalUsdM;
        var latest = total is { } t ? $"{Flow(t)}m on {date}" : $"no flows for {date}";
        string Confirmations(ScenarioResult s)
        {
            var required = s.Conditions.Where(c => !c.IsTrigger && !c.IsRiskFlag).ToList();
            var unknown = required.Count(c => c.Met is null);
            return $"{required.Count(c => c.Met == true)} of {required.Count} confirmations met{(unknown > 0 ? $" ({unknown} unknown)" : "")}";
        }

        string Progress()
        {
            var best = new[] { caution, rebuild }
                .Where(s => s.StreakLength > 0)
                .OrderByDescending(s => (decimal)s.StreakLength / s.StreakTarget)
                .FirstOrDefault();
            return best is null
                ? "no scenario building"
                : $"{best.Scenario} not triggered ({(best.Scenario == ScenarioKind.Caution ? "red" : "green")} streak {best.StreakLength} of {best.StreakTarget})";
        }

        var text = regime switch
        {
            Regime.Snapback => $"Snapback {Lower(snapback.Status)}: {latest} (\u2265 {Flow(Options.Snapback.MinDailyFlowUsdM)}m); {Confirmations(snapback)}",
            Regime.Caution => $"Caution {Lower(caution.Status)}: {caution.StreakLength} sessions in a row below {Flow(Options.Caution.MaxDailyFlowUsdM)}m to {date} (latest {Flow(total ?? 0)}m); {Confirmations(caution)}",
            Regime.Rebuild => $"Rebuild {Lower(rebuild.Status)}: {rebuild.StreakLength} sessions in a row \u2265 {Flow(Options.Rebuild.MinDailyFlowUsdM)}m to {date} (latest {Flow(total ?? 0)}m); {Confirmations(rebuild)}",
            Regime.Stabilizing => $"Stabilizing: {latest} after {StabilizingWeek(stabilizing)}; {Progress()}",
            Regime.Reset => $"Reset: {ResetWeek(reset)}; {Progress()}",
            _ => $"Neutral: no scenario triggered, {latest}; {Progress()}",
        };
        var stale = ctx.EtfStaleReason is not null ? " (ETF flows stale)" : "";
        return text + stale + (provisional ? " (provisional)." : ".");
    }

    private static string Lower(ScenarioStatus status) => status.ToString().ToLowerInvariant();

    private static string StabilizingWeek(SignalResult stabilizing)
    {
        var week = stabilizing.Conditions.FirstOrDefault(c => c.Id == "stabilizing.previous-week");
        return week?.ObservedValue is { } v && week.AsOf is { } d ? $"the week to {Date(d)} summed {Flow(v)}m" : "a negative week";
    }

    private static string ResetWeek(ConditionResult reset) =>
        reset.ObservedValue is { } v && reset.AsOf is { } d ? $"the week to {Date(d)} summed {Flow(v)}m" : "a completed week summed at or below the Reset threshold";
}
