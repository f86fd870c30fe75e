using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Rules;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>Backtests over small hand-made tapes (Feb–Mar 2025): episodes, their order, summary, range and forward returns.</summary>
public sealed class BacktestEpisodeTests
{
    /// <summary>Flat 0 from Mon 3 Feb to <paramref name="to"/>, with the given sessions overridden.</summary>
    private static List<EtfSession> Tape(string to, params (string Date, decimal Total)[] overrides)
    {
        var sessions = Flat("2025-02-03", to, 0m).ToDictionary(s => s.Date);
        foreach (var (date, total) in overrides) sessions[D(date)] = Session(date, total);
        return [.. sessions.Values.OrderBy(s => s.Date)];
    }

    /// <summary>The session <paramref name="n"/> sessions after <paramref name="date"/>.</summary>
    private static DateOnly After(string date, int n)
    {
        var d = D(date);
        for (var i = 0; i < n; i++) d = Calendar.NextSession(d);
        return d;
    }

    // Caution 4–7 Feb (triggered on the 7th); Rebuild 18–21 Feb (Mon 17 Feb is a holiday; triggered 20–21 Feb);
    // Rebuild and Snapback together on 5 Mar.
    private static readonly (string, decimal)[] ThreeScenarios =
    [
        ("2025-02-04", -1m), ("2025-02-05", -1m), ("2025-02-06", -1m), ("2025-02-07", -1m),
        ("2025-02-18", 300m), ("2025-02-19", 300m), ("2025-02-20", 300m), ("2025-02-21", 300m),
        ("2025-03-03", 300m), ("2025-03-04", 300m), ("2025-03-05", 800m),
    ];

    [Fact]
    public void Episodes_are_ordered_by_start_then_scenario_and_summarised_per_scenario()
    {
        var inputs = new RuleInputs(Tape("2025-03-28", ThreeScenarios));
        var closes = inputs.SessionDates.ToDictionary(d => d, _ => 100m);
        closes[After("2025-02-20", 5)] = 110m; // Rebuild from 20 Feb: +10 % after 5 sessions
        closes[After("2025-03-05", 5)] = 120m; // Rebuild and Snapback from 5 Mar: +20 %

        var result = Backtest.Run(Engine(), inputs, closes: closes);

        Assert.Equal(
            [(ScenarioKind.Caution, D("2025-02-07"), D("2025-02-07")), (ScenarioKind.Rebuild, D("2025-02-20"), D("2025-02-21")), (ScenarioKind.Rebuild, D("2025-03-05"), D("2025-03-05")), (ScenarioKind.Snapback, D("2025-03-05"), D("2025-03-05"))],
            result.Episodes.Select(e => (e.Scenario, e.Start, e.End)));
        Assert.Equal([1, 2, 1, 1], result.Episodes.Select(e => e.Sessions));
        Assert.All(result.Episodes, e => Assert.False(e.Open));
        Assert.All(result.Episodes, e => Assert.False(e.Confirmed));
        Assert.Equal(10m, result.Episodes[1].ForwardReturnsPct!["5"]);
        Assert.Equal(0m, result.Episodes[1].ForwardReturnsPct!["10"]);
        Assert.Equal(20m, result.Episodes[3].ForwardReturnsPct!["5"]);

        var rebuild = result.Summary.Single(s => s.Scenario == ScenarioKind.Rebuild);
        Assert.Equal((2, 3, 0, 1.5m), (rebuild.Episodes, rebuild.SessionsTriggered, rebuild.ConfirmedEpisodes, rebuild.AverageEpisodeSessions));
        Assert.Equal(15m, rebuild.AverageForwardReturnsPct!["5"]);
        Assert.Equal(0m, rebuild.AverageForwardReturnsPct["20"]); // 20 Feb + 20 sessions is in range (0 %); 5 Mar + 20 is not: left out
        var caution = result.Summary.Single(s => s.Scenario == ScenarioKind.Caution);
        Assert.Equal((1, 1, 0, 1.0m), (caution.Episodes, caution.SessionsTriggered, caution.ConfirmedEpisodes, caution.AverageEpisodeSessions));
        Assert.Equal([ScenarioKind.Rebuild, ScenarioKind.Caution, ScenarioKind.Snapback], result.Summary.Select(s => s.Scenario));

        Assert.Equal(["Neutral", "Rebuild", "Caution", "Snapback"], result.Regimes.Keys);
        Assert.Equal(result.Sessions.Count, result.Regimes.Values.Sum());
        Assert.Equal((2, 1, 1), (result.Regimes["Rebuild"], result.Regimes["Caution"], result.Regimes["Snapback"])); // 5 Mar reads Snapback
        Assert.Equal(D("2025-02-03"), result.From);
        Assert.Equal(D("2025-03-28"), result.To);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Without_prices_there_are_no_forward_returns_and_a_scenario_without_episodes_has_no_average()
    {
        var result = Backtest.Run(Engine(), new RuleInputs(Tape("2025-02-14", ("2025-02-04", -1m), ("2025-02-05", -1m), ("2025-02-06", -1m), ("2025-02-07", -1m))));
        Assert.Null(Assert.Single(result.Episodes).ForwardReturnsPct);
        Assert.All(result.Summary, s => Assert.Null(s.AverageForwardReturnsPct));
        var snapback = result.Summary.Single(s => s.Scenario == ScenarioKind.Snapback);
        Assert.Equal(0, snapback.Episodes);
        Assert.Null(snapback.AverageEpisodeSessions);
    }

    [Fact]
    public void An_episode_running_at_the_end_is_open_and_confirmed_if_any_session_of_it_was()
    {
        // Red from Fri 7 Mar to Fri 14 Mar: Caution from 12 Mar; confirmed on 12 and 13 Mar, only triggered on 14 Mar.
        var tape = Tape("2025-03-14", ("2025-03-07", -10m), ("2025-03-10", -10m), ("2025-03-11", -10m), ("2025-03-12", -10m), ("2025-03-13", -10m), ("2025-03-14", -10m));
        var weeks = new[] { Week("2025-03-07", -2000m, "2025-03-10") };
        var readings = new[] { Reading("2025-03-12", basis: 2m, oiChange: -1m), Reading("2025-03-13", basis: 2m, oiChange: -1m), Reading("2025-03-14", basis: 5m, oiChange: -1m) };
        var result = Backtest.Run(Engine(), new RuleInputs(tape, weeks, readings));

        var byDate = result.Sessions.ToDictionary(s => s.Date);
        Assert.Equal(ScenarioStatus.Confirmed, byDate[D("2025-03-12")].Scenarios["caution"]);
        Assert.Equal(ScenarioStatus.Confirmed, byDate[D("2025-03-13")].Scenarios["caution"]);
        Assert.Equal(ScenarioStatus.Triggered, byDate[D("2025-03-14")].Scenarios["caution"]);
        var episode = Assert.Single(result.Episodes);
        Assert.Equal((D("2025-03-12"), D("2025-03-14"), 3), (episode.Start, episode.End, episode.Sessions));
        Assert.True(episode.Open);
        Assert.True(episode.Confirmed);
        Assert.Equal(1, result.Summary.Single(s => s.Scenario == ScenarioKind.Caution).ConfirmedEpisodes);
    }

    [Fact]
    public void Forward_returns_need_the_session_h_sessions_later_in_the_data()
    {
        // Caution from Fri 7 Feb (index 4); the data ends 9 sessions later (Fri 21 Feb, index 13): +5 is there, +10 is not.
        var inputs = new RuleInputs(Tape("2025-02-21", ("2025-02-04", -1m), ("2025-02-05", -1m), ("2025-02-06", -1m), ("2025-02-07", -1m)));
        Assert.Equal(14, inputs.SessionDates.Count);
        var closes = inputs.SessionDates.ToDictionary(d => d, _ => 80m);
        closes[After("2025-02-07", 5)] = 100m;
        var result = Backtest.Run(Engine(), inputs, closes: closes);
        var returns = Assert.Single(result.Episodes).ForwardReturnsPct!;
        Assert.Equal(25m, returns["5"]);
        Assert.Null(returns["10"]);
        Assert.Null(returns["20"]);
        Assert.Equal(25m, result.Summary.Single(s => s.Scenario == ScenarioKind.Caution).AverageForwardReturnsPct!["5"]);
        Assert.Null(result.Summary.Single(s => s.Scenario == ScenarioKind.Caution).AverageForwardReturnsPct!["10"]);
    }

    [Fact]
    public void Forward_returns_are_unknown_without_a_usable_close()
    {
        var inputs = new RuleInputs(Tape("2025-03-14", ("2025-02-04", -1m), ("2025-02-05", -1m), ("2025-02-06", -1m), ("2025-02-07", -1m)));
        var zeroStart = inputs.SessionDates.ToDictionary(d => d, _ => 100m);
        zeroStart[D("2025-02-07")] = 0m;
        Assert.All(Assert.Single(Backtest.Run(Engine(), inputs, closes: zeroStart).Episodes).ForwardReturnsPct!.Values, v => Assert.Null(v));

        var gap = inputs.SessionDates.ToDictionary(d => d, _ => 100m);
        gap.Remove(After("2025-02-07", 5));
        var returns = Assert.Single(Backtest.Run(Engine(), inputs, closes: gap).Episodes).ForwardReturnsPct!;
        Assert.Null(returns["5"]);
        Assert.Equal(0m, returns["10"]);
    }

    [Fact]
    public void The_range_is_inclusive_and_reported_as_the_sessions_it_covers()
    {
        var inputs = new RuleInputs(Tape("2025-03-28", ThreeScenarios));
        var week = Backtest.Run(Engine(), inputs, D("2025-02-10"), D("2025-02-14"));
        Assert.Equal([D("2025-02-10"), D("2025-02-11"), D("2025-02-12"), D("2025-02-13"), D("2025-02-14")], week.Sessions.Select(s => s.Date));
        Assert.Equal((D("2025-02-10"), D("2025-02-14")), (week.From, week.To));

        var weekend = Backtest.Run(Engine(), inputs, D("2025-02-08"), D("2025-02-09"));
        Assert.Empty(weekend.Sessions);
        Assert.Equal((D("2025-02-08"), D("2025-02-09")), (weekend.From, weekend.To));

        var loose = Backtest.Run(Engine(), inputs, D("2025-02-01"), D("2025-02-09"), warnings: ["prices missing for 2 sessions"]);
        Assert.Equal((D("2025-02-03"), D("2025-02-07")), (loose.From, loose.To));
        Assert.Equal(["prices missing for 2 sessions"], loose.Warnings);
    }

    [Fact]
    public void Rows_become_sessions_with_the_published_total_or_the_sum_of_the_reported_funds()
    {
        var rows = new[]
        {
            new EtfFlowRow(D("2025-03-03"), new Dictionary<string, decimal?> { ["IBIT"] = 10m, ["FBTC"] = 20m, ["ARKB"] = null }, null),
            new EtfFlowRow(D("2025-03-04"), new Dictionary<string, decimal?> { ["IBIT"] = 10m, ["FBTC"] = 20m }, 12.5m),
            new EtfFlowRow(D("2025-03-05"), new Dictionary<string, decimal?> { ["IBIT"] = null, ["FBTC"] = null }, 0m),
        };
        var sessions = Backtest.SessionsFromRows(rows, "csv");
        Assert.Equal([(D("2025-03-03"), 30m), (D("2025-03-04"), 12.5m)], sessions.Select(s => (s.Date, s.TotalUsdM)));
        Assert.All(sessions, s => Assert.Equal((SessionStatus.Final, "csv"), (s.Status, s.Source)));
        Assert.Equal(3, sessions[0].Funds.Count);
    }
}
