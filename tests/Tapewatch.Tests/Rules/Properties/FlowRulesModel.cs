using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>
/// An independent reading of the flow rules of DESIGN §3 and docs/rules.md, written from the documents,
/// not from the engine: it walks the NYSE calendar session by session (so a holiday can neither break nor extend a
/// run), treats a missing expected session — or a provisional one when <c>TreatProvisionalAsUnknown</c> — as unknown,
/// and decides a condition only when the known data decides it.
/// </summary>
internal sealed class FlowRulesModel(RuleWorld world, RulesOptions options)
{
    private static readonly TradingCalendar Calendar = RuleWorld.Calendar;
    private readonly Dictionary<DateOnly, SessionSlot> _slots = world.Slots.Where(s => s.Present).ToDictionary(s => s.Date);

    /// <summary>A run counted back from the as-of session; Met null when a gap cuts it short of its target.</summary>
    public sealed record Run(int Length, bool Unknown, bool? Met);

    /// <summary>The usable total of a session, or null (missing, before the loaded window, or provisional counted as missing).</summary>
    public decimal? Total(DateOnly session) =>
        _slots.TryGetValue(session, out var s) && !(options.TreatProvisionalAsUnknown && s.Provisional) ? s.Total : null;

    public Run Streak(DateOnly asOf, Func<decimal, bool> counts, int target)
    {
        if (Total(asOf) is null) return new Run(0, true, null);
        var length = 0;
        for (var session = asOf; ; session = Calendar.PreviousSession(session))
        {
            if (session < RuleInputs.EtfLaunch) return new Run(length, false, length >= target); // nothing was expected before the launch
            if (Total(session) is not { } total) return new Run(length, length < target, length >= target ? true : null);
            if (!counts(total)) return new Run(length, false, length >= target);
            length++;
        }
    }

    public Run RebuildTrigger(DateOnly asOf) => Streak(asOf, t => t >= options.Rebuild.MinDailyFlowUsdM, options.Rebuild.StreakSessions);

    public Run CautionTrigger(DateOnly asOf) => Streak(asOf, t => t < options.Caution.MaxDailyFlowUsdM, options.Caution.StreakSessions);

    public Run SnapbackTrigger(DateOnly asOf) => Streak(asOf, t => t >= options.Snapback.MinDailyFlowUsdM, 1);

    /// <summary>The sum of the sessions of the week starting <paramref name="monday"/> through <paramref name="through"/>; null when one is unknown.</summary>
    public decimal? WeekSum(DateOnly monday, DateOnly through)
    {
        var last = monday.AddDays(4) < through ? monday.AddDays(4) : through;
        decimal sum = 0;
        foreach (var session in Calendar.Sessions(monday, last).Where(d => d >= RuleInputs.EtfLaunch))
        {
            if (Total(session) is not { } total) return null;
            sum += total;
        }

        return sum;
    }

    /// <summary>Stabilizing: the as-of session in [Min, Max].</summary>
    public bool? StabilizingSession(DateOnly asOf) =>
        Total(asOf) is { } t ? t >= options.Stabilizing.MinDailyFlowUsdM && t <= options.Stabilizing.MaxDailyFlowUsdM : null;

    /// <summary>Stabilizing: the previous week (Mon–Fri before the as-of session's week) summed below zero.</summary>
    public bool? StabilizingPreviousWeek(DateOnly asOf)
    {
        var monday = TradingCalendar.WeekStart(asOf);
        return WeekSum(monday.AddDays(-7), monday.AddDays(-3)) is { } s ? s < 0 : null;
    }

    /// <summary>Snapback's ledger flip: this week so far &gt; 0 after last week &lt; 0; decided as soon as one known week decides it.</summary>
    public bool? SnapbackLedgerFlip(DateOnly asOf)
    {
        var monday = TradingCalendar.WeekStart(asOf);
        var thisWeek = WeekSum(monday, asOf);
        var lastWeek = WeekSum(monday.AddDays(-7), monday.AddDays(-3));
        if (thisWeek is <= 0 || lastWeek is >= 0) return false;
        if (thisWeek is null || lastWeek is null) return null;
        return true;
    }

    /// <summary>Reset: one of the last two completed weeks summed ≤ the threshold; a week is completed once its last session is in.</summary>
    public bool? Reset(DateOnly asOf)
    {
        var monday = TradingCalendar.WeekStart(asOf);
        var weekIsComplete = Calendar.Sessions(monday, monday.AddDays(4)).All(s => s <= asOf);
        var latest = weekIsComplete ? monday : monday.AddDays(-7);
        var sums = new[] { WeekSum(latest, latest.AddDays(4)), WeekSum(latest.AddDays(-7), latest.AddDays(-3)) };
        if (sums.Any(s => s <= options.Reset.MaxWeekUsdM)) return true;
        return sums.Any(s => s is null) ? null : false;
    }
}
