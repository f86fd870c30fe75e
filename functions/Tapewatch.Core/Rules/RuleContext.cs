using Tapewatch.Core.Domain;
using Tapewatch.Core.Time;

namespace Tapewatch.Core.Rules;

/// <summary>A run of consecutive sessions meeting a predicate, counted back from the as-of session.</summary>
/// <param name="Length">Sessions in the run (k).</param>
/// <param name="Unknown">A data gap (or the edge of the loaded data) was reached before the run ended.</param>
/// <param name="Dates">The run's sessions, newest first.</param>
/// <param name="GapDate">The missing session that made the run unknown.</param>
public sealed record StreakInfo(int Length, bool Unknown, IReadOnlyList<DateOnly> Dates, DateOnly? GapDate, bool Provisional);

/// <summary>The ETF sum of some sessions of one week; <see cref="Sum"/> is null when an expected session is missing.</summary>
public sealed record WeekSum(DateOnly WeekStart, DateOnly Through, decimal? Sum, int Sessions, IReadOnlyList<DateOnly> Missing, bool Provisional)
{
    public DateOnly WeekEnding => WeekStart.AddDays(4);
}

/// <summary>
/// One as-of evaluation's view of the inputs: streaks, week sums and derivatives readings, with the
/// freshness rules applied (stale or missing inputs come back as a reason instead of a value).
/// </summary>
public sealed class RuleContext
{
    private readonly HashSet<DateOnly> _provisionalUsed = [];

    public RuleContext(RuleInputs inputs, TradingCalendar calendar, RulesOptions options, DateOnly asOf, DateTimeOffset? now)
    {
        Inputs = inputs;
        Calendar = calendar;
        Options = options;
        AsOf = asOf;
        Now = now;
        AsOfSession = inputs.Lookup(asOf, calendar, options.TreatProvisionalAsUnknown, out var s) == SessionLookup.Session ? s : null;
        EtfStaleReason = ComputeEtfStaleness();
        (Week, WeeklyStaleReason) = ComputeWeek();
        (Reading, ReadingStaleReason) = ReadingFor(asOf);
    }

    public RuleInputs Inputs { get; }

    public TradingCalendar Calendar { get; }

    public RulesOptions Options { get; }

    public DateOnly AsOf { get; }

    public DateTimeOffset? Now { get; }

    /// <summary>The as-of session, when it has usable data.</summary>
    public EtfSession? AsOfSession { get; }

    /// <summary>Non-null when the ETF flows are stale (a later session is overdue): every flow condition is unknown.</summary>
    public string? EtfStaleReason { get; }

    /// <summary>The CoinShares week the rules use (null with <see cref="WeeklyStaleReason"/> when none is usable).</summary>
    public WeeklyFundFlow? Week { get; }

    public string? WeeklyStaleReason { get; }

    /// <summary>The derivatives reading for the as-of session (null with <see cref="ReadingStaleReason"/> when missing or stale).</summary>
    public DerivativesDaily? Reading { get; }

    public string? ReadingStaleReason { get; }

    /// <summary>True when a provisional session fed any condition.</summary>
    public bool ProvisionalUsed => _provisionalUsed.Count > 0;

    /// <summary>The session total of the as-of session, or the reason it cannot be used.</summary>
    public (decimal? Total, string? Reason) AsOfTotal()
    {
        if (EtfStaleReason is not null) return (null, EtfStaleReason);
        if (AsOfSession is null) return (null, $"no usable ETF flows for {RuleFormat.DateIso(AsOf)}");
        Use(AsOfSession);
        return (AsOfSession.TotalUsdM, null);
    }

    /// <summary>
    /// Counts consecutive sessions back from the as-of session whose total meets <paramref name="predicate"/>.
    /// Holidays and weekends are skipped (neither break nor extend); a missing expected session makes the run
    /// unknown unless it is already at least <paramref name="target"/> long.
    /// </summary>
    public StreakInfo Streak(Func<decimal, bool> predicate, int target)
    {
        var dates = new List<DateOnly>();
        var provisional = false;
        for (var d = AsOf; ; d = d.AddDays(-1))
        {
            if (Inputs.BeforeCoverage(d)) return new StreakInfo(dates.Count, dates.Count < target, dates, d, provisional);
            if (d < RuleInputs.EtfLaunch) return new StreakInfo(dates.Count, false, dates, null, provisional);
            switch (Inputs.Lookup(d, Calendar, Options.TreatProvisionalAsUnknown, out var s))
            {
                case SessionLookup.NotASession:
                    continue;
                case SessionLookup.Missing:
                    return new StreakInfo(dates.Count, dates.Count < target, dates, d, provisional);
                default:
                    Use(s!);
                    provisional |= s!.Status == SessionStatus.Provisional;
                    if (!predicate(s.TotalUsdM)) return new StreakInfo(dates.Count, false, dates, null, provisional);
                    dates.Add(d);
                    break;
            }
        }
    }

    /// <summary>Sum of the sessions of the week starting <paramref name="weekStart"/> (Monday) through <paramref name="through"/>.</summary>
    public WeekSum SumWeek(DateOnly weekStart, DateOnly through)
    {
        var last = weekStart.AddDays(4) < through ? weekStart.AddDays(4) : through;
        decimal sum = 0;
        var count = 0;
        var missing = new List<DateOnly>();
        var provisional = false;
        for (var d = weekStart; d <= last; d = d.AddDays(1))
        {
            if (Inputs.BeforeCoverage(d))
            {
                if (Calendar.IsSession(d)) missing.Add(d);
                continue;
            }

            switch (Inputs.Lookup(d, Calendar, Options.TreatProvisionalAsUnknown, out var s))
            {
                case SessionLookup.NotASession:
                    continue;
                case SessionLookup.Missing:
                    missing.Add(d);
                    continue;
                default:
                    sum += s!.TotalUsdM;
                    count++;
                    Use(s);
                    provisional |= s.Status == SessionStatus.Provisional;
                    break;
            }
        }

        return new WeekSum(weekStart, last, missing.Count == 0 ? sum : null, count, missing, provisional);
    }

    /// <summary>The derivatives reading for <paramref name="session"/>: the latest at or before it, within the freshness limit.</summary>
    public (DerivativesDaily? Reading, string? Reason) ReadingFor(DateOnly session)
    {
        var r = Inputs.DerivativesOnOrBefore(session);
        if (r is null) return (null, $"no derivatives reading on or before {RuleFormat.DateIso(session)}");
        var age = r.Session >= session ? 0 : Calendar.Sessions(r.Session.AddDays(1), session).Count();
        if (age > Options.Freshness.DerivativesMaxAgeSessions)
        {
            return (null, $"derivatives stale: latest reading {RuleFormat.DateIso(r.Session)} is {age} sessions before {RuleFormat.DateIso(session)} (limit {Options.Freshness.DerivativesMaxAgeSessions})");
        }

        return (r, null);
    }

    /// <summary>The session <paramref name="sessions"/> trading sessions before <paramref name="from"/>.</summary>
    public DateOnly SessionsBefore(DateOnly from, int sessions)
    {
        var d = from;
        for (var i = 0; i < sessions; i++) d = Calendar.PreviousSession(d);
        return d;
    }

    /// <summary>The last sessions of the completed weeks the Reset rule looks at: this week once its last session is in, else the two before.</summary>
    public IReadOnlyList<DateOnly> LastTwoCompletedWeekStarts()
    {
        var thisWeek = TradingCalendar.WeekStart(AsOf);
        var lastSessionOfWeek = Calendar.Sessions(thisWeek, thisWeek.AddDays(4)).DefaultIfEmpty(AsOf).Max();
        var latestCompleted = AsOf >= lastSessionOfWeek ? thisWeek : thisWeek.AddDays(-7);
        return [latestCompleted, latestCompleted.AddDays(-7)];
    }

    private void Use(EtfSession s)
    {
        if (s.Status == SessionStatus.Provisional) _provisionalUsed.Add(s.Date);
    }

    private string? ComputeEtfStaleness()
    {
        if (Now is not { } now) return null;
        var next = Calendar.NextSession(AsOf);
        if (Inputs.Session(next) is not null) return null;
        var due = NewYorkTime.CloseUtc(next).AddHours(Options.Freshness.EtfFlowsGraceHours);
        return due <= now
            ? $"ETF flows stale: session {RuleFormat.DateIso(next)} is still missing {Options.Freshness.EtfFlowsGraceHours} h after its close"
            : null;
    }

    private (WeeklyFundFlow?, string?) ComputeWeek()
    {
        var w = Inputs.LatestWeekPublishedBy(AsOf);
        if (w is null) return (null, $"no CoinShares week published by {RuleFormat.DateIso(AsOf)}");
        var age = AsOf.DayNumber - w.WeekEnding.DayNumber;
        if (age > Options.Freshness.WeeklyFlowsMaxAgeDays)
        {
            return (null, $"CoinShares weekly stale: latest week ends {RuleFormat.DateIso(w.WeekEnding)}, {age} days before {RuleFormat.DateIso(AsOf)} (limit {Options.Freshness.WeeklyFlowsMaxAgeDays})");
        }

        return (w, null);
    }
}
