using static Tapewatch.Core.Rules.RuleFormat;

namespace Tapewatch.Core.Rules;

/// <summary>Conditions on the US spot BTC ETF tape (daily totals, US$m): one function per condition.</summary>
public static class FlowConditions
{
    private const string Dataset = Datasets.EtfFlows;

    /// <summary>Rebuild trigger: the last N sessions each ≥ MinDailyFlowUsdM (default 3 × ≥ +200).</summary>
    public static TriggerEvaluation RebuildStreak(RuleContext ctx)
    {
        var o = ctx.Options.Rebuild;
        return StreakTrigger(ctx, "rebuild.trigger.streak", $"Last {o.StreakSessions} sessions each \u2265 {Flow(o.MinDailyFlowUsdM)}",
            $"{o.StreakSessions} sessions \u2265 {Flow(o.MinDailyFlowUsdM)}", t => t >= o.MinDailyFlowUsdM, o.StreakSessions, "green");
    }

    /// <summary>Caution trigger: the last N sessions each below MaxDailyFlowUsdM (default 4 × &lt; 0).</summary>
    public static TriggerEvaluation CautionStreak(RuleContext ctx)
    {
        var o = ctx.Options.Caution;
        return StreakTrigger(ctx, "caution.trigger.streak", $"Last {o.StreakSessions} sessions each < {Flow(o.MaxDailyFlowUsdM)}",
            $"{o.StreakSessions} sessions < {Flow(o.MaxDailyFlowUsdM)}", t => t < o.MaxDailyFlowUsdM, o.StreakSessions, "red");
    }

    /// <summary>Snapback trigger: the latest session ≥ MinDailyFlowUsdM (default +750).</summary>
    public static TriggerEvaluation SnapbackSession(RuleContext ctx)
    {
        var o = ctx.Options.Snapback;
        return StreakTrigger(ctx, "snapback.trigger.session", $"Latest session \u2265 {Flow(o.MinDailyFlowUsdM)}",
            $"\u2265 {Flow(o.MinDailyFlowUsdM)}", t => t >= o.MinDailyFlowUsdM, 1, "");
    }

    /// <summary>Snapback confirmation: this week's sessions (through the as-of session) sum &gt; 0 after last week summed &lt; 0.</summary>
    public static ConditionResult SnapbackLedgerFlip(RuleContext ctx)
    {
        const string id = "snapback.confirm.ledger-flip";
        const string text = "The week's ledger flips to net inflow (this week > 0 after last week < 0)";
        const string threshold = "this week > 0 after last week < 0";
        if (ctx.EtfStaleReason is { } stale) return ConditionFactory.Unknown(id, text, threshold, Dataset, stale);
        var weekStart = Time.TradingCalendar.WeekStart(ctx.AsOf);
        var thisWeek = ctx.SumWeek(weekStart, ctx.AsOf);
        var lastWeek = ctx.SumWeek(weekStart.AddDays(-7), weekStart.AddDays(-3));
        bool? met = (thisWeek.Sum, lastWeek.Sum) switch
        {
            ({ } t, { } l) => t > 0 && l < 0,
            ({ } t, null) when t <= 0 => false,
            (null, { } l) when l >= 0 => false,
            _ => null,
        };
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = thisWeek.Sum,
            Observed = $"this week {WeekText(thisWeek)} after last week {WeekText(lastWeek)}",
            Met = met,
            AsOf = ctx.AsOf,
            Dataset = Dataset,
            Source = ctx.AsOfSession?.Source,
            UnknownReason = met is null ? MissingReason(thisWeek, lastWeek) : null,
        };
    }

    /// <summary>Stabilizing: the latest session in [Min, Max] (default +150…+300).</summary>
    public static ConditionResult StabilizingSession(RuleContext ctx)
    {
        var o = ctx.Options.Stabilizing;
        const string id = "stabilizing.session";
        var text = $"Latest session in {Flow(o.MinDailyFlowUsdM)}\u2026{Flow(o.MaxDailyFlowUsdM)}";
        var threshold = $"{Flow(o.MinDailyFlowUsdM)}\u2026{Flow(o.MaxDailyFlowUsdM)}";
        var (total, reason) = ctx.AsOfTotal();
        if (total is not { } t) return ConditionResult(id, text, threshold, reason!);
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = t,
            Observed = Flow(t),
            Met = t >= o.MinDailyFlowUsdM && t <= o.MaxDailyFlowUsdM,
            AsOf = ctx.AsOf,
            Dataset = Dataset,
            Source = ctx.AsOfSession?.Source,
        };
    }

    /// <summary>Stabilizing: the previous week (Mon–Fri before the as-of session's week) summed &lt; 0.</summary>
    public static ConditionResult StabilizingPreviousWeek(RuleContext ctx)
    {
        const string id = "stabilizing.previous-week";
        const string text = "The previous week summed < 0";
        var previous = ctx.SumWeek(Time.TradingCalendar.WeekStart(ctx.AsOf).AddDays(-7), Time.TradingCalendar.WeekStart(ctx.AsOf).AddDays(-3));
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = "< 0.0",
            ObservedValue = previous.Sum,
            Observed = previous.Sum is { } s ? $"{Flow(s)} (week to {Date(previous.WeekEnding)})" : null,
            Met = previous.Sum is { } v ? v < 0 : null,
            AsOf = previous.WeekEnding,
            Dataset = Dataset,
            UnknownReason = previous.Sum is null ? MissingReason(previous) : null,
        };
    }

    /// <summary>Reset: one of the last two completed weeks summed ≤ MaxWeekUsdM (default −1,000).</summary>
    public static ConditionResult ResetWeeks(RuleContext ctx)
    {
        var o = ctx.Options.Reset;
        const string id = "reset.completed-weeks";
        var text = $"One of the last two completed weeks summed \u2264 {Flow(o.MaxWeekUsdM)}";
        var weeks = ctx.LastTwoCompletedWeekStarts().Select(w => ctx.SumWeek(w, w.AddDays(4))).ToList();
        var hit = weeks.FirstOrDefault(w => w.Sum <= o.MaxWeekUsdM);
        bool? met = hit is not null ? true : weeks.Any(w => w.Sum is null) ? null : false;
        var shown = hit ?? weeks[0];
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = $"\u2264 {Flow(o.MaxWeekUsdM)}",
            ObservedValue = shown.Sum,
            Observed = string.Join("; ", weeks.Select(w => $"week to {Date(w.WeekEnding)} {WeekText(w)}")),
            Met = met,
            AsOf = shown.WeekEnding,
            Dataset = Dataset,
            UnknownReason = met is null ? MissingReason([.. weeks]) : null,
        };
    }

    private static TriggerEvaluation StreakTrigger(RuleContext ctx, string id, string text, string threshold, Func<decimal, bool> predicate, int target, string word)
    {
        var (total, reason) = ctx.AsOfTotal();
        if (total is not { } t)
        {
            return new TriggerEvaluation(ConditionFactory.Unknown(id, text, threshold, Dataset, reason!, isTrigger: true, asOf: ctx.AsOf), 0, target, true, null);
        }

        var streak = ctx.Streak(predicate, target);
        bool? met = streak.Length >= target ? true : streak.Unknown ? null : false;
        var streakWord = word.Length == 0 ? "run" : word + " streak";
        var observed = $"{Flow(t)} ({streakWord} {streak.Length}{(streak.Unknown ? "+?" : "")} of {target})";
        if (streak.Provisional) observed += ", provisional";
        var condition = new ConditionResult
        {
            Id = id,
            Text = text,
            IsTrigger = true,
            Threshold = threshold,
            ObservedValue = t,
            Observed = observed,
            Met = met,
            AsOf = ctx.AsOf,
            Dataset = Dataset,
            Source = ctx.AsOfSession?.Source,
            UnknownReason = met is null ? $"session {DateIso(streak.GapDate ?? ctx.AsOf)} is missing (data gap), so the streak is unknown" : null,
        };
        var episodeStart = streak.Length >= target ? streak.Dates[streak.Length - target] : (DateOnly?)null;
        return new TriggerEvaluation(condition, streak.Length, target, streak.Unknown, episodeStart);
    }

    private static ConditionResult ConditionResult(string id, string text, string threshold, string reason) =>
        ConditionFactory.Unknown(id, text, threshold, Dataset, reason);

    private static string WeekText(WeekSum w) => w.Sum is { } s ? Flow(s) : "unknown";

    private static string MissingReason(params WeekSum[] weeks)
    {
        var missing = weeks.SelectMany(w => w.Missing).Distinct().Order().Select(DateIso).ToList();
        return missing.Count == 0 ? "week sum unknown" : $"missing session(s) {string.Join(", ", missing)} (data gap)";
    }
}
