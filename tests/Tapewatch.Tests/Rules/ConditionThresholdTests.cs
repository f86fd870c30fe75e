using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>Every condition at, above and below its threshold (DESIGN §3 defaults). As-of Wednesday 12 Mar 2025.</summary>
public sealed class ConditionThresholdTests
{
    private const string AsOf = "2025-03-12";

    /// <summary>Neutral background: every session 0 from Feb to the as-of, then the given overrides.</summary>
    private static RegimeEvaluation Evaluate(IEnumerable<(string Date, decimal Total)> overrides, IEnumerable<DerivativesDaily>? derivatives = null, IEnumerable<WeeklyFundFlow>? weeks = null, string asOf = AsOf)
    {
        var sessions = Flat("2025-02-03", asOf, 0m).ToDictionary(s => s.Date);
        foreach (var (date, total) in overrides) sessions[D(date)] = Session(date, total);
        return Engine().Evaluate(new RuleInputs(sessions.Values, weeks, derivatives, D("2025-02-03")), D(asOf));
    }

    private static (string, decimal)[] Last(decimal value, params string[] dates) => dates.Select(d => (d, value)).ToArray();

    [Theory]
    [InlineData(200.0, true)]
    [InlineData(250.0, true)]
    [InlineData(199.9, false)]
    public void Rebuild_trigger_needs_3_sessions_each_at_least_200(double value, bool met)
    {
        var e = Evaluate(Last((decimal)value, "2025-03-10", "2025-03-11", "2025-03-12"));
        Assert.Equal(met, e.Condition("rebuild.trigger.streak").Met);
        Assert.Equal(met ? ScenarioStatus.Triggered : ScenarioStatus.Idle, e.Scenario(ScenarioKind.Rebuild).Status);
        Assert.Equal(met ? 3 : 0, e.Scenario(ScenarioKind.Rebuild).StreakLength);
    }

    [Fact]
    public void Rebuild_two_green_sessions_are_Building_2_of_3()
    {
        var e = Evaluate(Last(300m, "2025-03-11", "2025-03-12"));
        var rebuild = e.Scenario(ScenarioKind.Rebuild);
        Assert.Equal(ScenarioStatus.Building, rebuild.Status);
        Assert.Equal(2, rebuild.StreakLength);
        Assert.False(e.Condition("rebuild.trigger.streak").Met);
    }

    [Theory]
    [InlineData(-0.1, true)]
    [InlineData(-500.0, true)]
    [InlineData(0.0, false)]
    [InlineData(5.0, false)]
    public void Caution_trigger_needs_4_sessions_each_below_0(double value, bool met)
    {
        var e = Evaluate(Last((decimal)value, "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12"));
        Assert.Equal(met, e.Condition("caution.trigger.streak").Met);
        if (met) Assert.Equal(D("2025-03-12"), e.Scenario(ScenarioKind.Caution).EpisodeStart);
    }

    [Theory]
    [InlineData(750.0, true)]
    [InlineData(900.0, true)]
    [InlineData(749.9, false)]
    public void Snapback_trigger_needs_the_latest_session_at_least_750(double value, bool met)
    {
        var e = Evaluate([(AsOf, (decimal)value)]);
        Assert.Equal(met, e.Condition("snapback.trigger.session").Met);
        Assert.Equal(met ? Regime.Snapback : Regime.Neutral, e.Regime);
    }

    [Theory]
    [InlineData(1.0, -0.1, true)]
    [InlineData(0.0, -50.0, false)]   // this week exactly 0 is not > 0
    [InlineData(10.0, 0.0, false)]    // last week exactly 0 is not < 0
    [InlineData(10.0, 5.0, false)]
    public void Snapback_ledger_flip_needs_this_week_above_0_after_last_week_below_0(double thisWeek, double lastWeek, bool met)
    {
        var e = Evaluate([("2025-03-03", (decimal)lastWeek), ("2025-03-10", (decimal)thisWeek)]);
        Assert.Equal(met, e.Condition("snapback.confirm.ledger-flip").Met);
    }

    [Theory]
    [InlineData(150.0, true)]
    [InlineData(300.0, true)]
    [InlineData(225.0, true)]
    [InlineData(149.9, false)]
    [InlineData(300.1, false)]
    public void Stabilizing_session_band_is_150_to_300_inclusive(double value, bool met)
    {
        var e = Evaluate([("2025-03-05", -10m), (AsOf, (decimal)value)]);
        Assert.Equal(met, e.Condition("stabilizing.session").Met);
        Assert.True(e.Condition("stabilizing.previous-week").Met);
        Assert.Equal(met, e.Signal("stabilizing").Active);
        Assert.Equal(met ? Regime.Stabilizing : Regime.Neutral, e.Regime);
    }

    [Theory]
    [InlineData(-0.1, true)]
    [InlineData(0.0, false)]
    [InlineData(20.0, false)]
    public void Stabilizing_needs_the_previous_week_below_0(double previousWeek, bool met)
    {
        var e = Evaluate([("2025-03-05", (decimal)previousWeek), (AsOf, 200m)]);
        Assert.Equal(met, e.Condition("stabilizing.previous-week").Met);
    }

    [Theory]
    [InlineData(-1000.0, true)]
    [InlineData(-1500.0, true)]
    [InlineData(-999.9, false)]
    public void Reset_needs_a_completed_week_at_or_below_minus_1000(double weekSum, bool met)
    {
        // The week of 24–28 Feb is the second-to-last completed week as of Wed 12 Mar.
        var e = Evaluate([("2025-02-25", (decimal)weekSum)]);
        Assert.Equal(met, e.Condition("reset.completed-weeks").Met);
        Assert.Equal(met ? Regime.Reset : Regime.Neutral, e.Regime);
    }

    [Fact]
    public void Reset_counts_the_current_week_on_its_last_session_but_not_before()
    {
        var overrides = new[] { ("2025-03-10", -1200m) };
        Assert.False(Evaluate(overrides).Condition("reset.completed-weeks").Met);
        Assert.True(Evaluate(overrides, asOf: "2025-03-14").Condition("reset.completed-weeks").Met);
    }

    [Theory]
    [InlineData(-1000.0, true)]
    [InlineData(-1500.0, true)]
    [InlineData(-999.9, false)]
    public void Caution_CoinShares_week_at_or_below_minus_1000(double total, bool met)
    {
        var e = Evaluate([], weeks: [Week("2025-03-07", (decimal)total, "2025-03-10")]);
        Assert.Equal(met, e.Condition("caution.confirm.coinshares").Met);
    }

    [Theory]
    [InlineData(-800.0, -1000.0, true)]    // 0.8, same sign
    [InlineData(-1200.0, -1000.0, true)]
    [InlineData(-790.0, -1000.0, false)]   // 0.79
    [InlineData(800.0, -1000.0, false)]    // opposite signs
    public void Etf_led_needs_a_ratio_of_at_least_0_8_with_the_same_sign(double etfWeek, double coinShares, bool met)
    {
        var e = Evaluate([("2025-03-05", (decimal)etfWeek)], weeks: [Week("2025-03-07", (decimal)coinShares, "2025-03-10")]);
        Assert.Equal(met, e.Condition("etf-led.ratio").Met);
        Assert.Equal(met, e.Signal("etf-led").Active);
    }

    public static TheoryData<string, decimal, bool> DerivativeLevels => new()
    {
        { "rebuild.confirm.basis", 8m, true }, { "rebuild.confirm.basis", 9m, true }, { "rebuild.confirm.basis", 7.99m, false },
        { "rebuild.confirm.funding", 10m, true }, { "rebuild.confirm.funding", 5m, true }, { "rebuild.confirm.funding", 10.01m, false },
        { "rebuild.confirm.oi-offshore", 0.1m, true }, { "rebuild.confirm.oi-offshore", 0m, false }, { "rebuild.confirm.oi-offshore", -0.1m, false },
        { "caution.confirm.basis", 3m, true }, { "caution.confirm.basis", 2m, true }, { "caution.confirm.basis", 3.01m, false },
        { "caution.confirm.oi-offshore", -0.1m, true }, { "caution.confirm.oi-offshore", 0m, false }, { "caution.confirm.oi-offshore", 0.1m, false },
        { "snapback.confirm.basis", 12m, true }, { "snapback.confirm.basis", 15m, true }, { "snapback.confirm.basis", 11.99m, false },
        { "snapback.risk.funding", 20m, true }, { "snapback.risk.funding", 25m, true }, { "snapback.risk.funding", 19.99m, false },
        { "deleveraging.basis", 4m, true }, { "deleveraging.basis", 6m, true }, { "deleveraging.basis", 5m, true },
        { "deleveraging.basis", 3.99m, false }, { "deleveraging.basis", 6.01m, false },
        { "deleveraging.oi-falling", -0.1m, true }, { "deleveraging.oi-falling", 0m, false }, { "deleveraging.oi-falling", 0.1m, false },
    };

    [Theory]
    [MemberData(nameof(DerivativeLevels))]
    public void Derivatives_level_conditions_at_above_and_below_their_thresholds(string id, decimal value, bool met)
    {
        var reading = id.Contains("funding", StringComparison.Ordinal) ? Reading(AsOf, funding: value)
            : id.Contains("oi", StringComparison.Ordinal) ? Reading(AsOf, oiChange: value)
            : Reading(AsOf, basis: value);
        var condition = Evaluate([], [reading]).Condition(id);
        Assert.Equal(met, condition.Met);
        Assert.Equal(value, condition.ObservedValue);
        Assert.Equal(D(AsOf), condition.AsOf);
        Assert.Equal(Datasets.Derivatives, condition.Dataset);
        Assert.Equal("binance+okx", condition.Source);
    }

    [Theory]
    [InlineData(0.1, true)]
    [InlineData(0.0, false)]
    [InlineData(-0.1, false)]
    public void Basis_rising_over_the_streak_compares_with_the_close_before_the_streak_window(double change, bool met)
    {
        // Window: 10–12 Mar; the baseline is the close of Fri 7 Mar.
        var e = Evaluate([], [Reading("2025-03-07", basis: 9m), Reading(AsOf, basis: 9m + (decimal)change)]);
        Assert.Equal(met, e.Condition("rebuild.confirm.basis-rising").Met);
    }

    [Theory]
    [InlineData(-0.1, true)]
    [InlineData(0.0, false)]
    [InlineData(0.1, false)]
    public void Deleveraging_funding_falling_compares_with_5_sessions_earlier(double change, bool met)
    {
        var e = Evaluate([], [Reading("2025-03-05", funding: 8m), Reading(AsOf, funding: 8m + (decimal)change)]);
        Assert.Equal(met, e.Condition("deleveraging.funding-falling").Met);
    }

    [Theory]
    [InlineData(1.0, "2025-03-11", true)]
    [InlineData(0.0, "2025-03-11", false)]
    [InlineData(-1.0, "2025-03-11", false)]
    [InlineData(1.0, "2025-02-25", null)]  // 15 days old: the CFTC report is stale
    public void Cme_open_interest_change_needs_a_recent_positive_COT_change(double change, string reportDate, bool? met)
    {
        var e = Evaluate([], [Reading(AsOf, cmeChange: (decimal)change, cmeReport: reportDate)]);
        var c = e.Condition("rebuild.confirm.oi-cme");
        Assert.Equal(met, c.Met);
        Assert.Equal(D(reportDate), c.AsOf);
        if (met is null) Assert.Contains("days old", c.UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rebuild_with_every_confirmation_met_is_Confirmed_and_one_unknown_keeps_it_Triggered()
    {
        var green = Last(300m, "2025-03-10", "2025-03-11", "2025-03-12");
        var full = Reading(AsOf, basis: 9m, funding: 5m, oiChange: 2m, cmeChange: 100m, cmeReport: "2025-03-11");
        var e = Evaluate(green, [Reading("2025-03-07", basis: 8.5m), full]);
        Assert.Equal(ScenarioStatus.Confirmed, e.Scenario(ScenarioKind.Rebuild).Status);
        Assert.Equal(Regime.Rebuild, e.Regime);

        var noCme = full with { CmeOpenInterestChangeBtc = null };
        var e2 = Evaluate(green, [Reading("2025-03-07", basis: 8.5m), noCme]);
        Assert.Null(e2.Condition("rebuild.confirm.oi-cme").Met);
        Assert.Equal(ScenarioStatus.Triggered, e2.Scenario(ScenarioKind.Rebuild).Status);
    }

    [Fact]
    public void Snapback_risk_flag_is_shown_but_never_required_for_Confirmed()
    {
        var e = Evaluate([("2025-03-03", -100m), (AsOf, 900m)], [Reading(AsOf, basis: 13m, funding: 5m)]);
        Assert.False(e.Condition("snapback.risk.funding").Met);
        Assert.True(e.Condition("snapback.risk.funding").IsRiskFlag);
        Assert.Equal(ScenarioStatus.Confirmed, e.Scenario(ScenarioKind.Snapback).Status);
    }

    [Fact]
    public void A_met_confirmation_without_the_trigger_is_Building()
    {
        var e = Evaluate([], [Reading(AsOf, basis: 2m)]);
        Assert.Equal(ScenarioStatus.Building, e.Scenario(ScenarioKind.Caution).Status);
        Assert.Equal(0, e.Scenario(ScenarioKind.Caution).StreakLength);
        Assert.Equal(ScenarioStatus.Idle, e.Scenario(ScenarioKind.Snapback).Status);
    }
}
