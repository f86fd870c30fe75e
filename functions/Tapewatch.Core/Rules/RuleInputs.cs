using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Rules;

/// <summary>What one session date holds in the inputs.</summary>
public enum SessionLookup
{
    /// <summary>A stored session (usable).</summary>
    Session,

    /// <summary>Not a trading session (weekend, holiday, before the ETFs launched): neither breaks nor extends a streak.</summary>
    NotASession,

    /// <summary>An expected session with no (usable) data: a gap, so whatever depends on it is unknown.</summary>
    Missing,
}

/// <summary>
/// The engine's inputs, indexed once so the same instance can serve many as-of evaluations (the backtest
/// evaluates every session of two years in well under a second). Pure data: no I/O.
/// </summary>
public sealed class RuleInputs
{
    /// <summary>The US spot BTC ETFs started trading on 11 Jan 2024: no session is expected before it.</summary>
    public static readonly DateOnly EtfLaunch = new(2024, 1, 11);

    private readonly Dictionary<DateOnly, EtfSession> _sessions;
    private readonly DateOnly[] _sessionDates;
    private readonly DerivativesDaily[] _derivatives;
    private readonly WeeklyFundFlow[] _weeks;

    /// <param name="sessions">ETF sessions (rows where every fund is "-" must not be passed: they are not sessions).</param>
    /// <param name="weeks">CoinShares weeks.</param>
    /// <param name="derivatives">Daily derivatives readings.</param>
    /// <param name="coverageStart">
    /// The first date the sessions were loaded from (earlier expected sessions are unknown, not absent). Defaults to the
    /// first session given; on or before <see cref="EtfLaunch"/> nothing earlier is expected.
    /// </param>
    public RuleInputs(IEnumerable<EtfSession> sessions, IEnumerable<WeeklyFundFlow>? weeks = null, IEnumerable<DerivativesDaily>? derivatives = null, DateOnly? coverageStart = null)
    {
        _sessions = [];
        foreach (var s in sessions) _sessions[s.Date] = s;
        _sessionDates = [.. _sessions.Keys.Order()];
        _derivatives = [.. (derivatives ?? []).GroupBy(d => d.Session).Select(g => g.Last()).OrderBy(d => d.Session)];
        _weeks = [.. (weeks ?? []).GroupBy(w => w.WeekEnding).Select(g => g.Last()).OrderBy(w => w.WeekEnding)];
        CoverageStart = coverageStart ?? (_sessionDates.Length > 0 ? _sessionDates[0] : EtfLaunch);
        Watermark = new[]
        {
            _sessions.Values.Select(s => s.LastChangedUtc).DefaultIfEmpty().Max(),
            _weeks.Select(w => w.LastChangedUtc).DefaultIfEmpty().Max(),
            _derivatives.Select(d => d.AsOfUtc).DefaultIfEmpty().Max(),
        }.Max();
    }

    public DateOnly CoverageStart { get; }

    /// <summary>The latest change among the inputs (orders evaluations of the same session made from different data).</summary>
    public DateTimeOffset Watermark { get; }

    public IReadOnlyList<DateOnly> SessionDates => _sessionDates;

    public IReadOnlyList<WeeklyFundFlow> Weeks => _weeks;

    public IReadOnlyList<DerivativesDaily> Derivatives => _derivatives;

    public EtfSession? Session(DateOnly date) => _sessions.GetValueOrDefault(date);

    /// <summary>Whether a date is a session with data, not a session at all, or an expected session with no data.</summary>
    public SessionLookup Lookup(DateOnly date, Time.TradingCalendar calendar, bool provisionalIsMissing, out EtfSession? session)
    {
        session = _sessions.GetValueOrDefault(date);
        if (session is not null)
        {
            if (provisionalIsMissing && session.Status == SessionStatus.Provisional) return SessionLookup.Missing;
            return SessionLookup.Session;
        }

        if (date < EtfLaunch || !calendar.IsSession(date)) return SessionLookup.NotASession;
        return SessionLookup.Missing;
    }

    /// <summary>True when <paramref name="date"/> is before the loaded window (and after the launch): nothing is known there.</summary>
    public bool BeforeCoverage(DateOnly date) => date < CoverageStart && date >= EtfLaunch;

    /// <summary>The latest stored session on or before <paramref name="date"/>.</summary>
    public DateOnly? LatestSessionOnOrBefore(DateOnly date)
    {
        var i = Array.BinarySearch(_sessionDates, date);
        if (i >= 0) return _sessionDates[i];
        i = ~i - 1;
        return i >= 0 ? _sessionDates[i] : null;
    }

    /// <summary>The latest derivatives reading for a session on or before <paramref name="date"/>.</summary>
    public DerivativesDaily? DerivativesOnOrBefore(DateOnly date)
    {
        int lo = 0, hi = _derivatives.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_derivatives[mid].Session <= date)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 ? _derivatives[found] : null;
    }

    /// <summary>
    /// The latest CoinShares week published by <paramref name="asOf"/> (point in time: a week is usable from its
    /// publication date, or the Monday after its week-ending Friday when that is unknown).
    /// </summary>
    public WeeklyFundFlow? LatestWeekPublishedBy(DateOnly asOf)
    {
        for (var i = _weeks.Length - 1; i >= 0; i--)
        {
            var w = _weeks[i];
            if (w.WeekEnding >= asOf) continue;
            var published = w.PublishedOn ?? w.WeekEnding.AddDays(3);
            if (published <= asOf) return w;
        }

        return null;
    }
}
