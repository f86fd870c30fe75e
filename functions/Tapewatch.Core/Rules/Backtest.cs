using Tapewatch.Core.Domain;
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
        foreach (var date in dates)
        {
            var e = engine.Evaluate(inputs, date);
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
                do
                {
                    confirmed |= sessions[i].Scenarios[key] == ScenarioStatus.Confirmed;
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
                    ForwardReturnsPct = closes is null ? null : ForwardReturns(startDate, allDates, index, closes),
                });
            }
        }

        episodes.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Scenario.CompareTo(b.Scenario));
        var summary = Enum.GetValues<ScenarioKind>().Select(kind =>
        {
            var mine = episodes.Where(e => e.Scenario == kind).ToList();
            return new BacktestSummaryRow
            {
                Scenario = kind,
                Episodes = mine.Count,
                SessionsTriggered = mine.Sum(e => e.Sessions),
                ConfirmedEpisodes = mine.Count(e => e.Confirmed),
                AverageEpisodeSessions = mine.Count == 0 ? null : Math.Round((decimal)mine.Sum(e => e.Sessions) / mine.Count, 1),
                AverageForwardReturnsPct = closes is null ? null : ForwardHorizons.ToDictionary(
                    h => h.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    h =>
                    {
                        var values = mine.Select(e => e.ForwardReturnsPct![h.ToString(System.Globalization.CultureInfo.InvariantCulture)]).OfType<decimal>().ToList();
                        return values.Count == 0 ? (decimal?)null : Math.Round(values.Average(), 2);
                    }),
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

    private static Dictionary<string, decimal?> ForwardReturns(DateOnly start, IReadOnlyList<DateOnly> dates, Dictionary<DateOnly, int> index, IReadOnlyDictionary<DateOnly, decimal> closes)
    {
        var result = new Dictionary<string, decimal?>();
        var i = index[start];
        foreach (var h in ForwardHorizons)
        {
            decimal? value = null;
            if (i + h < dates.Count && closes.TryGetValue(start, out var c0) && c0 > 0 && closes.TryGetValue(dates[i + h], out var c1))
            {
                value = Math.Round(((c1 / c0) - 1) * 100m, 2);
            }

            result[h.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value;
        }

        return result;
    }
}
