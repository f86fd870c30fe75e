using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>DESIGN §3's worked example: 3–11 Nov 2025, with the CoinShares week of −1.17bn published on Monday 10 Nov.</summary>
public sealed class WorkedExampleTests
{
    private static readonly RuleInputs Inputs = new(
        Sessions(October27ToNovember11),
        [Week("2025-10-31", -360m, "2025-11-03"), Week("2025-11-07", -1170m, "2025-11-10")],
        derivatives: null,
        coverageStart: D("2025-10-01"));

    private static readonly RegimeEngine Engine = Engine();

    [Fact]
    public void Friday_7_November_reads_Reset_with_a_red_streak_of_1()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-07"));

        Assert.Equal(Regime.Reset, e.Regime);
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.Equal(1, caution.StreakLength);
        Assert.Equal(4, caution.StreakTarget);
        Assert.False(caution.StreakUnknown);
        Assert.True(caution.Status < ScenarioStatus.Triggered);
        Assert.False(e.Condition("caution.trigger.streak").Met);
        var reset = e.Condition("reset.completed-weeks");
        Assert.True(reset.Met);
        Assert.Equal(-1208.4m, reset.ObservedValue);
        Assert.Equal(D("2025-11-07"), reset.AsOf);
        Assert.Equal(-558.4m, e.SessionTotalUsdM);
        Assert.Equal("Reset: the week to 7 Nov summed \u22121,208.4m; Caution not triggered (red streak 1 of 4).", e.Headline);
        // The CoinShares week of 3–7 Nov is not published yet on Friday: the week before is the latest one.
        Assert.Equal(D("2025-10-31"), e.Condition("caution.confirm.coinshares").AsOf);
    }

    [Fact]
    public void Monday_10_November_is_ETF_led_with_the_CoinShares_confirmation_met_and_no_Rebuild_streak()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-10"));

        Assert.Equal(Regime.Reset, e.Regime);
        var etfLed = e.Signal("etf-led");
        Assert.True(etfLed.Active);
        Assert.Equal("ETF-led", etfLed.Observed);
        Assert.Equal(Math.Round(-1208.4m / -1170m, 4), e.Condition("etf-led.ratio").ObservedValue);

        var coinShares = e.Condition("caution.confirm.coinshares");
        Assert.True(coinShares.Met);
        Assert.Equal(-1170m, coinShares.ObservedValue);
        Assert.Equal(D("2025-11-07"), coinShares.AsOf);
        Assert.Equal("coinshares", coinShares.Source);
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.Equal(ScenarioStatus.Building, caution.Status);
        Assert.Equal(0, caution.StreakLength);

        var rebuild = e.Scenario(ScenarioKind.Rebuild);
        Assert.Equal(0, rebuild.StreakLength);
        Assert.Equal(1.2m, e.Condition("rebuild.trigger.streak").ObservedValue);
    }

    [Fact]
    public void Tuesday_11_November_Rebuild_is_building_green_streak_1_of_3_and_the_regime_is_still_Reset()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-11"));

        Assert.Equal(Regime.Reset, e.Regime);
        var rebuild = e.Scenario(ScenarioKind.Rebuild);
        Assert.Equal(ScenarioStatus.Building, rebuild.Status);
        Assert.Equal(1, rebuild.StreakLength);
        Assert.Equal(3, rebuild.StreakTarget);
        Assert.Equal("+524.0 (green streak 1 of 3)", e.Condition("rebuild.trigger.streak").Observed);
        Assert.Contains("Rebuild not triggered (green streak 1 of 3)", e.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void The_red_run_of_29_October_to_3_November_triggered_Caution_on_3_November()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-03"));

        Assert.Equal(Regime.Caution, e.Regime);
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.Equal(ScenarioStatus.Triggered, caution.Status);
        Assert.Equal(4, caution.StreakLength);
        Assert.Equal(D("2025-11-03"), caution.EpisodeStart);
        Assert.True(e.Condition("caution.trigger.streak").Met);

        var before = Engine.Evaluate(Inputs, D("2025-10-31"));
        Assert.Equal(3, before.Scenario(ScenarioKind.Caution).StreakLength);
        Assert.Equal(ScenarioStatus.Building, before.Scenario(ScenarioKind.Caution).Status);
    }

    [Fact]
    public void Thursday_6_November_after_a_minus_799_week_reads_Stabilizing()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-06"));

        Assert.Equal(Regime.Stabilizing, e.Regime);
        Assert.True(e.Signal("stabilizing").Active);
        Assert.Equal(-799.0m, e.Condition("stabilizing.previous-week").ObservedValue);
        Assert.Equal(239.9m, e.Condition("stabilizing.session").ObservedValue);
        Assert.StartsWith("Stabilizing: +239.9m on 6 Nov after the week to 31 Oct summed \u2212799.0m", e.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_derivatives_their_conditions_are_unknown_and_nothing_can_be_Confirmed()
    {
        var e = Engine.Evaluate(Inputs, D("2025-11-03"));
        var basis = e.Condition("caution.confirm.basis");
        Assert.Null(basis.Met);
        Assert.Contains("no derivatives reading", basis.UnknownReason, StringComparison.Ordinal);
        Assert.NotEqual(ScenarioStatus.Confirmed, e.Scenario(ScenarioKind.Caution).Status);
        Assert.True(e.Freshness.Single(f => f.Dataset == Datasets.Derivatives).Stale);
        Assert.False(e.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Stale);
    }
}
