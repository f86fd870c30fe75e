using Tapewatch.Core.Domain;
using Tapewatch.Core.Time;

namespace Tapewatch.Core.Flows;

public enum SessionChangeKind
{
    Unchanged,
    Inserted,
    Updated,
}

/// <summary>One incoming session after merging with what is stored: the session to keep, its late funds and the change.</summary>
public sealed record PlannedSession(EtfSession Session, IReadOnlyList<string> LateFunds, SessionChangeKind Kind, IReadOnlyList<EtfRevision> Revisions);

/// <summary>What an ingestion would change.</summary>
public sealed record EtfSessionPlan
{
    public IReadOnlyList<PlannedSession> Sessions { get; init; } = [];

    /// <summary>Rows that were not sessions (every fund "-": holiday rows and the pending "today" row).</summary>
    public IReadOnlyList<DateOnly> NotSessions { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public int Inserted => Sessions.Count(s => s.Kind == SessionChangeKind.Inserted);

    public int Updated => Sessions.Count(s => s.Kind == SessionChangeKind.Updated);

    public int Unchanged => Sessions.Count(s => s.Kind == SessionChangeKind.Unchanged);

    public IReadOnlyList<PlannedSession> Changes => Sessions.Where(s => s.Kind != SessionChangeKind.Unchanged).ToList();

    /// <summary>The earliest session that was inserted or updated; null when nothing changed.</summary>
    public DateOnly? ChangedFrom => Changes.Count == 0 ? null : Changes.Min(s => s.Session.Date);
}

/// <summary>
/// Pure reconciliation: turns parsed rows into sessions, merges them with the stored ones, works out the
/// status and which values changed. Rules: a "-" never erases a stored number; a fund missing from the
/// source keeps its stored value; a totals-only row (SoSoValue) keeps the stored per-fund split and only
/// revises the total when it differs by 0.1m or more (Farside rounds to 0.1m); Final never goes back to
/// Provisional.
/// </summary>
public static class EtfSessionPlanner
{
    private const decimal TotalsOnlyTolerance = 0.1m;

    public static EtfSessionPlan Plan(
        IReadOnlyList<EtfFlowRow> rows,
        bool totalsOnly,
        string source,
        IReadOnlyDictionary<DateOnly, EtfSession> stored,
        SessionStatusPolicy policy,
        DateTimeOffset utcNow,
        TradingCalendar? calendar = null)
    {
        var incoming = new Dictionary<DateOnly, EtfFlowRow>();
        var notSessions = new List<DateOnly>();
        var warnings = new List<string>();
        foreach (var row in rows)
        {
            var isSession = totalsOnly ? row.TotalUsdM is not null : row.IsSession;
            if (!isSession)
            {
                notSessions.Add(row.Date);
                continue;
            }

            if (!incoming.TryAdd(row.Date, row))
            {
                warnings.Add($"{row.Date:yyyy-MM-dd}: appears twice; later row ignored");
                continue;
            }

            if (calendar is not null && !calendar.IsSession(row.Date))
            {
                warnings.Add($"{row.Date:yyyy-MM-dd}: has flows but the trading calendar says the market was closed");
            }
        }

        var recent = new Queue<HashSet<string>>();
        var planned = new List<PlannedSession>();
        foreach (var date in incoming.Keys.Concat(stored.Keys).Distinct().Order())
        {
            stored.TryGetValue(date, out var previous);
            if (!incoming.TryGetValue(date, out var row))
            {
                Remember(recent, previous!.Funds);
                continue;
            }

            var reporting = recent.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
            var merged = Merge(row, totalsOnly, previous);
            var late = merged.Funds.Where(f => f.Value is null && reporting.Contains(f.Key)).Select(f => f.Key).ToList();
            var status = policy.StatusOf(date, late.Count, totalsOnly && !HasFunds(merged.Funds), utcNow);
            if (previous?.Status == SessionStatus.Final) status = SessionStatus.Final;
            planned.Add(Diff(date, merged.Funds, merged.Total, status, late, previous, source, utcNow));
            Remember(recent, merged.Funds);
        }

        return new EtfSessionPlan { Sessions = planned, NotSessions = notSessions, Warnings = warnings };
    }

    private static (IReadOnlyDictionary<string, decimal?> Funds, decimal Total) Merge(EtfFlowRow row, bool totalsOnly, EtfSession? previous)
    {
        if (totalsOnly)
        {
            var funds = previous?.Funds ?? new Dictionary<string, decimal?>(StringComparer.Ordinal);
            var total = row.TotalUsdM!.Value;
            if (previous is not null && HasFunds(previous.Funds) && Math.Abs(previous.TotalUsdM - total) < TotalsOnlyTolerance) total = previous.TotalUsdM;
            return (funds, total);
        }

        var merged = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        foreach (var (fund, value) in row.Funds)
        {
            merged[fund] = value ?? (previous?.Funds.TryGetValue(fund, out var old) == true ? old : null);
        }

        if (previous is not null)
        {
            foreach (var (fund, value) in previous.Funds)
            {
                merged.TryAdd(fund, value);
            }
        }

        var sum = merged.Values.Where(v => v is not null).Sum(v => v!.Value);
        return (merged, row.TotalUsdM ?? sum);
    }

    private static PlannedSession Diff(
        DateOnly date,
        IReadOnlyDictionary<string, decimal?> funds,
        decimal total,
        SessionStatus status,
        IReadOnlyList<string> late,
        EtfSession? previous,
        string source,
        DateTimeOffset utcNow)
    {
        if (previous is null)
        {
            var inserted = new EtfSession
            {
                Date = date,
                Funds = funds,
                TotalUsdM = total,
                Status = status,
                Source = source,
                FirstSeenUtc = utcNow,
                LastChangedUtc = utcNow,
                Revision = 0,
            };
            return new PlannedSession(inserted, late, SessionChangeKind.Inserted, []);
        }

        var revision = previous.Revision + 1;
        var revisions = new List<EtfRevision>();
        foreach (var fund in funds.Keys.Union(previous.Funds.Keys, StringComparer.Ordinal))
        {
            var old = previous.Funds.TryGetValue(fund, out var o) ? o : null;
            var now = funds.TryGetValue(fund, out var n) ? n : null;
            if (Usd(old) != Usd(now)) revisions.Add(Revision(date, fund, old, now, utcNow, source, previous.Source, revision));
        }

        if (Usd(previous.TotalUsdM) != Usd(total))
        {
            revisions.Add(Revision(date, EtfRevision.TotalField, previous.TotalUsdM, total, utcNow, source, previous.Source, revision));
        }

        if (revisions.Count == 0 && previous.Status == status)
        {
            return new PlannedSession(previous, late, SessionChangeKind.Unchanged, []);
        }

        var updated = previous with
        {
            Funds = funds,
            TotalUsdM = total,
            Status = status,
            Source = revisions.Count > 0 ? source : previous.Source,
            LastChangedUtc = utcNow,
            Revision = revisions.Count > 0 ? revision : previous.Revision,
        };
        return new PlannedSession(updated, late, SessionChangeKind.Updated, revisions);
    }

    private static EtfRevision Revision(DateOnly date, string field, decimal? old, decimal? now, DateTimeOffset at, string source, string previousSource, int revision) => new()
    {
        Date = date,
        Field = field,
        OldUsdM = old,
        NewUsdM = now,
        ChangedUtc = at,
        Source = source,
        PreviousSource = previousSource,
        Revision = revision,
    };

    private static long? Usd(decimal? millions) => millions is { } m ? Money.UsdFromMillions(m) : null;

    private static bool HasFunds(IReadOnlyDictionary<string, decimal?> funds) => funds.Values.Any(v => v is not null);

    private static void Remember(Queue<HashSet<string>> recent, IReadOnlyDictionary<string, decimal?> funds)
    {
        recent.Enqueue(funds.Where(f => f.Value is not null).Select(f => f.Key).ToHashSet(StringComparer.Ordinal));
        while (recent.Count > SessionStatusPolicy.ReportingWindowSessions) recent.Dequeue();
    }
}
