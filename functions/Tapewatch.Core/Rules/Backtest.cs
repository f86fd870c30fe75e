using System.Globalization;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Flows;

namespace Tapewatch.Core.Rules;

/// <summary>One replayed session: date, total, regime and each scenario's status.</summary>
public sealed record BacktestSession
{
    public required DateOnly Date { get; init; }

    public required decimal Total { get; init; }

    public required Regime Regime { get; init; }

    /// <summary>"rebuild", "caution", "snapback" → status.</summary>
    public required IReadOnlyDictionary<string, ScenarioStatus> Scenarios { get; init; }

    public bool Provisional { get; init; }
}

/// <summary>Consecutive sessions with a scenario at Triggered or above.</summary>
public sealed record BacktestEpisode
{
    public required ScenarioKind Scenario { get; init; }

    public required DateOnly Start { get; init; }

    public required DateOnly End { get; init; }

    public required int Sessions { get; init; }

    /// <summary>True when some session of the episode was Confirmed.</summary>
    public bool Confirmed { get; init; }

    /// <summary>True when the episode is still running at the end of the replayed range.</summary>
    public bool Open { get; init; }

    /// <summary>BTC return in percent from the close of the start session to N sessions later ("5", "10", "20"); absent without prices.</summary>
    public IReadOnlyDictionary<string, decimal?>? ForwardReturnsPct { get; init; }

    /// <summary>Ids of the confirmations (and risk flags) met on some session of the episode.</summary>
    public IReadOnlyList<string> ConfirmationsMet { get; init; } = [];
}

public sealed record BacktestSummaryRow
{
    public required ScenarioKind Scenario { get; init; }

    public required int Episodes { get; init; }

    public required int SessionsTriggered { get; init; }

    public required int ConfirmedEpisodes { get; init; }

    public decimal? AverageEpisodeSessions { get; init; }

    /// <summary>Mean forward return (percent) after episode starts, per horizon, over episodes with prices.</summary>
    public IReadOnlyDictionary<string, decimal?>? AverageForwardReturnsPct { get; init; }

    /// <summary>Mean forward return (percent) after every session of the period with both closes, per horizon: the baseline.</summary>
    public IReadOnlyDictionary<string, decimal?>? BaselineForwardReturnsPct { get; init; }

    /// <summary>Share of episodes with prices whose forward return went the scenario's way (Rebuild and Snapback up, Caution down), percent, per horizon.</summary>
    public IReadOnlyDictionary<string, decimal?>? HitRatePct { get; init; }

    /// <summary>Each confirmation and risk flag of the scenario → episodes in which it was met on some session.</summary>
    public IReadOnlyDictionary<string, int> ConfirmationsMet { get; init; } = new Dictionary<string, int>();

    /// <summary>Confirmations unknown on every replayed session (no history for their data): never met, never failed.</summary>
    public IReadOnlyList<string> ConfirmationsWithoutHistory { get; init; } = [];
}

/// <summary>A scenario's forward returns against the baseline at each horizon.</summary>
public sealed record ScenarioEvidence
{
    public required ScenarioKind Scenario { get; init; }

    public required IReadOnlyList<ForwardReturnEvidence> Horizons { get; init; }
}

public sealed record BacktestResult
{
    public required DateOnly? From { get; init; }

    public required DateOnly? To { get; init; }

    public required IReadOnlyList<BacktestSession> Sessions { get; init; }

    public required IReadOnlyList<BacktestEpisode> Episodes { get; init; }

    public required IReadOnlyList<BacktestSummaryRow> Summary { get; init; }

    /// <summary>Regime → number of sessions.</summary>
    public required IReadOnlyDictionary<string, int> Regimes { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Forward returns per scenario and horizon against the baseline, with uncertainty; absent without prices.</summary>
    public IReadOnlyList<ScenarioEvidence>? Evidence { get; init; }

    /// <summary>The series the replay used and the dates each covers (flows, closes, funding).</summary>
    public IReadOnlyList<SeriesCoverage> Series { get; init; } = [];

    /// <summary>With <c>backtest --sweep</c>: the evidence per value of one setting, in and out of sample.</summary>
    public SweepReport? Sweep { get; init; }
}

/// <summary>One rule setting swept over a range: per value, the evidence before the split date (in sample) and from it on (out of sample).</summary>
public sealed record SweepReport
{
    /// <summary>"Section.Key", e.g. "Rebuild.MinDailyFlowUsdM".</summary>
    public required string Setting { get; init; }

    public required DateOnly InSampleFrom { get; init; }

    /// <summary>The first out-of-sample session.</summary>
    public required DateOnly Split { get; init; }

    public required DateOnly OutOfSampleTo { get; init; }

    public required IReadOnlyList<SweepRow> Rows { get; init; }
}

public sealed record SweepRow
{
    public required decimal Value { get; init; }

    /// <summary>Why the value could not be replayed (e.g. refused by the options' validation).</summary>
    public string? Error { get; init; }

    public IReadOnlyList<ScenarioEvidence>? InSample { get; init; }

    public IReadOnlyList<ScenarioEvidence>? OutOfSample { get; init; }
}

/// <summary>Replays the engine over history: every session in range, point in time (no look-ahead), then the episodes.</summary>
public static class Backtest
{
    public static readonly int[] ForwardHorizons = [5, 10, 20];

    /// <param name="closes">BTC/USD daily closes by session (optional): enables forward returns after episode starts.</param>
    public static BacktestResult Run(RegimeEngine engine, RuleInputs inputs, DateOnly? from = null, DateOnly? to = null, IReadOnlyDictionary<DateOnly, decimal>? closes = null, IReadOnlyList<string>? warnings = null)
    {
        var dates = inputs.SessionDates.Where(d => (from is null || d >= from) && (to is null || d <= to)).ToList();
        var sessions = new List<BacktestSession>(dates.Count);
        var met = new List<Dictionary<ScenarioKind, string[]>>(dates.Count);
        var everKnown = new HashSet<string>(StringComparer.Ordinal);
        var confirmationIds = new Dictionary<ScenarioKind, List<string>>();
        foreach (var date in dates)
        {
            var e = engine.Evaluate(inputs, date);
            met.Add(e.Scenarios.ToDictionary(s => s.Scenario, s => s.Conditions.Where(c => IsConfirmation(c) && c.Met == true).Select(c => c.Id).ToArray()));
            foreach (var scenario in e.Scenarios)
            {
                var ids = confirmationIds.TryGetValue(scenario.Scenario, out var list) ? list : confirmationIds[scenario.Scenario] = [];
                foreach (var c in scenario.Conditions.Where(IsConfirmation))
                {
                    if (!ids.Contains(c.Id)) ids.Add(c.Id);
                    if (c.Met is not null) everKnown.Add(c.Id);
                }
            }

            sessions.Add(new BacktestSession
            {
                Date = date,
                Total = e.SessionTotalUsdM ?? 0,
                Regime = e.Regime,
                Scenarios = e.Scenarios.ToDictionary(s => Key(s.Scenario), s => s.Status),
                Provisional = e.Provisional,
            });
        }

        var allDates = inputs.SessionDates;
        var index = allDates.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var episodes = new List<BacktestEpisode>();
        foreach (var kind in Enum.GetValues<ScenarioKind>())
        {
            var key = Key(kind);
            for (var i = 0; i < sessions.Count;)
            {
                if (sessions[i].Scenarios[key] < ScenarioStatus.Triggered)
                {
                    i++;
                    continue;
                }

                // Consecutive sessions: a missing expected session (a data gap) between two triggered rows ends the
                // episode, as it ends the engine's run (its episodeStart after the gap is the session after it).
                var start = i;
                var confirmed = false;
                var confirmations = new SortedSet<string>(StringComparer.Ordinal);
                do
                {
                    confirmed |= sessions[i].Scenarios[key] == ScenarioStatus.Confirmed;
                    confirmations.UnionWith(met[i].GetValueOrDefault(kind, []));
                    i++;
                }
                while (i < sessions.Count && sessions[i].Scenarios[key] >= ScenarioStatus.Triggered && engine.Calendar.NextSession(sessions[i - 1].Date) == sessions[i].Date);

                var startDate = sessions[start].Date;
                episodes.Add(new BacktestEpisode
                {
                    Scenario = kind,
                    Start = startDate,
                    End = sessions[i - 1].Date,
                    Sessions = i - start,
                    Confirmed = confirmed,
                    Open = i == sessions.Count,
                    ForwardReturnsPct = closes is null ? null : ForwardReturnsAt(index[startDate], allDates, closes),
                    ConfirmationsMet = [.. confirmations],
                });
            }
        }

        episodes.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Scenario.CompareTo(b.Scenario));
        var evidence = closes is null ? null : EvidenceOf(episodes, dates, allDates, closes, Enum.GetValues<ScenarioKind>());

        var summary = Enum.GetValues<ScenarioKind>().Select(kind =>
        {
            var mine = episodes.Where(e => e.Scenario == kind).ToList();
            var ids = confirmationIds.GetValueOrDefault(kind, []);
            var horizons = evidence?.Single(e => e.Scenario == kind).Horizons;
            return new BacktestSummaryRow
            {
                Scenario = kind,
                Episodes = mine.Count,
                SessionsTriggered = mine.Sum(e => e.Sessions),
                ConfirmedEpisodes = mine.Count(e => e.Confirmed),
                AverageEpisodeSessions = mine.Count == 0 ? null : Math.Round((decimal)mine.Sum(e => e.Sessions) / mine.Count, 1),
                AverageForwardReturnsPct = horizons?.ToDictionary(h => HorizonKey(h.Horizon), h => h.MeanPct),
                BaselineForwardReturnsPct = horizons?.ToDictionary(h => HorizonKey(h.Horizon), h => h.BaselineMeanPct),
                HitRatePct = horizons?.ToDictionary(h => HorizonKey(h.Horizon), h => h.HitRatePct),
                ConfirmationsMet = ids.ToDictionary(id => id, id => mine.Count(e => e.ConfirmationsMet.Contains(id))),
                ConfirmationsWithoutHistory = [.. ids.Where(id => !everKnown.Contains(id))],
            };
        }).ToList();

        return new BacktestResult
        {
            From = dates.Count > 0 ? dates[0] : from,
            To = dates.Count > 0 ? dates[^1] : to,
            Sessions = sessions,
            Episodes = episodes,
            Summary = summary,
            Regimes = sessions.GroupBy(s => s.Regime).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            Warnings = warnings ?? [],
            Evidence = evidence,
        };
    }

    /// <summary>Turns parsed flow rows into sessions: rows where every fund is blank are not sessions; the total is the published one (else the sum of funds).</summary>
    public static IReadOnlyList<EtfSession> SessionsFromRows(IEnumerable<EtfFlowRow> rows, string source) =>
        rows.Where(r => r.IsSession)
            .Select(r => new EtfSession
            {
                Date = r.Date,
                Funds = r.Funds,
                TotalUsdM = r.TotalUsdM ?? r.Funds.Values.Sum(v => v ?? 0),
                Status = SessionStatus.Final,
                Source = source,
            })
            .ToList();

    public static string Key(ScenarioKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// Forward returns after the starts of <paramref name="episodes"/> against every session of <paramref name="period"/>
    /// (the baseline), per scenario and horizon; <paramref name="allDates"/> counts the horizon in sessions.
    /// </summary>
    public static IReadOnlyList<ScenarioEvidence> EvidenceOf(IEnumerable<BacktestEpisode> episodes, IReadOnlyList<DateOnly> period, IReadOnlyList<DateOnly> allDates, IReadOnlyDictionary<DateOnly, decimal> closes, IEnumerable<ScenarioKind> scenarios)
    {
        var index = new Dictionary<DateOnly, int>(allDates.Count);
        for (var i = 0; i < allDates.Count; i++) index[allDates[i]] = i;
        var list = episodes.ToList();
        return scenarios.Select(kind => new ScenarioEvidence
        {
            Scenario = kind,
            Horizons = ForwardHorizons.Select(h => ForwardReturns.Describe(
                h,
                Direction(kind),
                list.Where(e => e.Scenario == kind).Select(e => ForwardReturns.Of(allDates, index[e.Start], h, closes)).OfType<decimal>().ToList(),
                period.Select(d => ForwardReturns.Of(allDates, index[d], h, closes)).OfType<decimal>().ToList())).ToList(),
        }).ToList();
    }

    /// <summary>
    /// One value of a sweep: the evidence of <paramref name="run"/> before <paramref name="split"/> (in sample) and from it
    /// on (out of sample), each against its own part of <paramref name="period"/> as the baseline.
    /// </summary>
    public static SweepRow SweepRowOf(decimal value, BacktestResult run, DateOnly split, IReadOnlyList<DateOnly> period, IReadOnlyList<DateOnly> allDates, IReadOnlyDictionary<DateOnly, decimal> closes, IReadOnlyList<ScenarioKind> scenarios) => new()
    {
        Value = value,
        InSample = EvidenceOf(run.Episodes.Where(e => e.Start < split), [.. period.Where(d => d < split)], allDates, closes, scenarios),
        OutOfSample = EvidenceOf(run.Episodes.Where(e => e.Start >= split), [.. period.Where(d => d >= split)], allDates, closes, scenarios),
    };

    /// <summary>+1 when the scenario expects BTC up (Rebuild, Snapback), −1 when down (Caution).</summary>
    public static int Direction(ScenarioKind kind) => kind == ScenarioKind.Caution ? -1 : 1;

    public static string HorizonKey(int horizon) => horizon.ToString(CultureInfo.InvariantCulture);

    private static bool IsConfirmation(ConditionResult c) => !c.IsTrigger && (c.Id.Contains(".confirm.", StringComparison.Ordinal) || c.IsRiskFlag);

    private static Dictionary<string, decimal?> ForwardReturnsAt(int start, IReadOnlyList<DateOnly> dates, IReadOnlyDictionary<DateOnly, decimal> closes) =>
        ForwardHorizons.ToDictionary(HorizonKey, h => ForwardReturns.Of(dates, start, h, closes) is { } r ? Math.Round(r, 2) : (decimal?)null);
}
