using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>Counterexamples the properties found, shrunk and kept as plain facts (each names the property that found it).</summary>
public sealed class PropertyRegressionTests
{
    private static readonly RegimeEngine Engine = new(new RulesOptions(), RuleWorld.Calendar);

    private static RuleInputs Inputs(params (string Date, decimal? Total)[] sessions)
    {
        var slots = sessions.Select(s => new SessionSlot(DateOnly.Parse(s.Date, System.Globalization.CultureInfo.InvariantCulture), s.Total, false)).ToList();
        return new RuleWorld(slots, [], []).Inputs();
    }

    /// <summary>
    /// Found by <see cref="FlowRuleProperties.Backtest_episodes_start_where_the_engine_says_they_start"/> (shrunk with a
    /// one-session Rebuild streak; here with the default Snapback): two Snapback sessions either side of a data gap were one
    /// backtest episode of "2 sessions" from 3 Nov, while the engine, not knowing 4 Nov, starts a new episode on 5 Nov.
    /// </summary>
    [Fact]
    public void A_data_gap_ends_a_backtest_episode_as_it_ends_the_engines_run()
    {
        var inputs = Inputs(("2025-11-03", 750.1m), ("2025-11-04", null), ("2025-11-05", 750.1m));

        var snapback = Backtest.Run(Engine, inputs).Episodes.Where(e => e.Scenario == ScenarioKind.Snapback).ToList();

        Assert.Equal([new DateOnly(2025, 11, 3), new DateOnly(2025, 11, 5)], snapback.Select(e => e.Start));
        Assert.All(snapback, e => Assert.Equal(1, e.Sessions));
        Assert.Equal(new DateOnly(2025, 11, 5), Engine.Evaluate(inputs, new DateOnly(2025, 11, 5)).Scenario(ScenarioKind.Snapback).EpisodeStart);
    }

    /// <summary>A holiday is not a gap: Snapback on the Wednesday before and the Friday after Thanksgiving 2025 is one episode.</summary>
    [Fact]
    public void A_holiday_does_not_end_a_backtest_episode()
    {
        var inputs = Inputs(("2025-11-25", 100m), ("2025-11-26", 800m), ("2025-11-28", 900m));

        var snapback = Assert.Single(Backtest.Run(Engine, inputs).Episodes, e => e.Scenario == ScenarioKind.Snapback);

        Assert.Equal((new DateOnly(2025, 11, 26), new DateOnly(2025, 11, 28), 2), (snapback.Start, snapback.End, snapback.Sessions));
        Assert.True(snapback.Open);
    }
}
