using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>
/// The evidence people read (API, dashboard, alert messages): every condition's text and threshold, how observed values,
/// sources and unknown reasons read, each scenario's summary and the headline of every regime. As-of Wed 12 Mar 2025.
/// </summary>
public sealed class EvidenceTextTests
{
    private const string AsOf = "2025-03-12";

    private static RegimeEvaluation Evaluate(
        IEnumerable<(string Date, decimal Total)> overrides,
        IEnumerable<DerivativesDaily>? derivatives = null,
        IEnumerable<WeeklyFundFlow>? weeks = null,
        string asOf = AsOf,
        Action<RulesOptions>? configure = null,
        IEnumerable<string>? without = null)
    {
        var sessions = Flat("2025-02-03", asOf, 0m).ToDictionary(s => s.Date);
        foreach (var (date, total) in overrides) sessions[D(date)] = Session(date, total);
        foreach (var date in without ?? []) sessions.Remove(D(date));
        return Engine(configure).Evaluate(new RuleInputs(sessions.Values, weeks, derivatives, D("2025-02-03")), D(asOf));
    }

    public static TheoryData<string, string, string> DefaultTexts => new()
    {
        { "rebuild.trigger.streak", "Last 3 sessions each \u2265 +200.0", "3 sessions \u2265 +200.0" },
        { "rebuild.confirm.basis", "3m basis \u2265 8%", "\u2265 8%" },
        { "rebuild.confirm.basis-rising", "3m basis rising over the last 3 sessions", "rising" },
        { "rebuild.confirm.oi-offshore", "Offshore OI rebuilding (5-session change > 0)", "> 0%" },
        { "rebuild.confirm.oi-cme", "CME OI rebuilding (latest COT change > 0)", "> 0 BTC" },
        { "rebuild.confirm.funding", "Funding subdued (annualised \u2264 10%)", "\u2264 10%" },
        { "caution.trigger.streak", "Last 4 sessions each < 0.0", "4 sessions < 0.0" },
        { "caution.confirm.coinshares", "Latest CoinShares week \u2264 \u22121,000.0", "\u2264 \u22121,000.0" },
        { "caution.confirm.basis", "3m basis \u2264 3%", "\u2264 3%" },
        { "caution.confirm.oi-offshore", "Offshore OI bleeding (5-session change < 0)", "< 0%" },
        { "snapback.trigger.session", "Latest session \u2265 +750.0", "\u2265 +750.0" },
        { "snapback.confirm.ledger-flip", "The week's ledger flips to net inflow (this week > 0 after last week < 0)", "this week > 0 after last week < 0" },
        { "snapback.confirm.basis", "3m basis \u2265 12%", "\u2265 12%" },
        { "snapback.risk.funding", "Risk: funding \u2265 20% annualised (late-cycle leverage)", "\u2265 20%" },
        { "stabilizing.session", "Latest session in +150.0\u2026+300.0", "+150.0\u2026+300.0" },
        { "stabilizing.previous-week", "The previous week summed < 0", "< 0.0" },
        { "etf-led.ratio", "US ETF weekly sum \u00f7 CoinShares global weekly total, same sign", "\u2265 0.80" },
        { "deleveraging.basis", "3m basis in 4%\u20136%", "4%\u20136%" },
        { "deleveraging.funding-falling", "Funding falling over the last 5 sessions", "falling" },
        { "deleveraging.oi-falling", "Offshore OI falling (5-session change < 0)", "< 0%" },
        { "reset.completed-weeks", "One of the last two completed weeks summed \u2264 \u22121,000.0", "\u2264 \u22121,000.0" },
    };

    [Theory]
    [MemberData(nameof(DefaultTexts))]
    public void Every_condition_states_its_rule_and_threshold_whether_its_inputs_are_known_or_not(string id, string text, string threshold)
    {
        // Without weekly or derivatives data (unknown) and with everything present (known): the same words.
        var unknown = Evaluate([]).Condition(id);
        var known = Evaluate([], [Reading("2025-03-05", basis: 5m, funding: 5m), Reading(AsOf, basis: 5m, funding: 4m, oiChange: -1m, cmeChange: 10m, cmeReport: "2025-03-11")],
            [Week("2025-03-07", -500m, "2025-03-10")]).Condition(id);
        Assert.Equal((text, threshold), (unknown.Text, unknown.Threshold));
        Assert.Equal((text, threshold), (known.Text, known.Threshold));
    }

    [Fact]
    public void Texts_follow_the_configured_thresholds()
    {
        var e = Evaluate([], configure: o =>
        {
            o.Rebuild.MinDailyFlowUsdM = 250m;
            o.Rebuild.StreakSessions = 2;
            o.Rebuild.MinBasisPct = 7.5m;
            o.Caution.MaxDailyFlowUsdM = -50m;
            o.Caution.StreakSessions = 5;
            o.Snapback.MinDailyFlowUsdM = 1000m;
            o.Deleveraging.LookbackSessions = 3;
        });
        Assert.Equal("Last 2 sessions each \u2265 +250.0", e.Condition("rebuild.trigger.streak").Text);
        Assert.Equal("3m basis rising over the last 2 sessions", e.Condition("rebuild.confirm.basis-rising").Text);
        Assert.Equal("\u2265 7.5%", e.Condition("rebuild.confirm.basis").Threshold);
        Assert.Equal("5 sessions < \u221250.0", e.Condition("caution.trigger.streak").Threshold);
        Assert.Equal("\u2265 +1,000.0", e.Condition("snapback.trigger.session").Threshold);
        Assert.Equal("Funding falling over the last 3 sessions", e.Condition("deleveraging.funding-falling").Text);
    }

    [Fact]
    public void Signals_and_their_observed_values_read_as_documented()
    {
        var e = Evaluate([("2025-03-05", -100m), (AsOf, 200m)], weeks: [Week("2025-03-07", 100m, "2025-03-10")]);
        var stabilizing = e.Signal("stabilizing");
        Assert.Equal("Stabilizing: latest session in the stabilizing band after a negative week", stabilizing.Text);
        Assert.Equal("+200.0; \u2212100.0 (week to 7 Mar)", stabilizing.Observed);
        var etfLed = e.Signal("etf-led");
        Assert.Equal("ETF-led vs broad: US ETFs carry the global weekly flow", etfLed.Text);
        Assert.False(etfLed.Active);
        Assert.Equal("broad", etfLed.Observed);
        var deleveraging = e.Signal("deleveraging");
        Assert.Equal("Deleveraging: basis in the 4\u20136% band, funding and open interest falling", deleveraging.Text);
        Assert.Null(deleveraging.Active);
        Assert.Equal("unknown; unknown; unknown", deleveraging.Observed);

        var noWeek = Evaluate([]).Signal("etf-led");
        Assert.Null(noWeek.Active);
        Assert.Null(noWeek.Observed);
    }

    [Fact]
    public void Flow_observations_show_value_streak_and_provisional_state()
    {
        var e = Evaluate([("2025-03-10", 300m), ("2025-03-11", 300m), (AsOf, 800m)]);
        Assert.Equal("+800.0 (green streak 3 of 3)", e.Condition("rebuild.trigger.streak").Observed);
        Assert.Equal("+800.0 (run 1 of 1)", e.Condition("snapback.trigger.session").Observed);
        Assert.Equal("+800.0 (red streak 0 of 4)", e.Condition("caution.trigger.streak").Observed);
        Assert.Equal("+800.0", e.Condition("stabilizing.session").Observed);
        Assert.Equal("this week +1,400.0 after last week 0.0", e.Condition("snapback.confirm.ledger-flip").Observed);
        Assert.Equal("week to 7 Mar 0.0; week to 28 Feb 0.0", e.Condition("reset.completed-weeks").Observed);
        Assert.All(e.Scenarios.Select(s => s.Conditions[0]), c => Assert.True(c.IsTrigger));
        Assert.All(e.Scenarios.SelectMany(s => s.Conditions.Skip(1)), c => Assert.False(c.IsTrigger));
    }

    [Fact]
    public void A_streak_cut_by_a_data_gap_reads_k_plus_unknown()
    {
        var e = Evaluate([("2025-03-11", -10m), (AsOf, -10m)], without: ["2025-03-10"]);
        var trigger = e.Condition("caution.trigger.streak");
        Assert.Equal("\u221210.0 (red streak 2+? of 4)", trigger.Observed);
        Assert.Equal("session 2025-03-10 is missing (data gap), so the streak is unknown", trigger.UnknownReason);
        Assert.StartsWith("Building: streak 2+? of 4; ", e.Scenario(ScenarioKind.Caution).Summary, StringComparison.Ordinal);
        Assert.Null(e.Condition("rebuild.trigger.streak").UnknownReason);
    }

    [Fact]
    public void Week_observations_name_the_weeks_and_unknown_weeks_name_their_missing_sessions()
    {
        var e = Evaluate([("2025-03-03", -20m), ("2025-03-10", 30m)], without: ["2025-03-05", "2025-03-04", "2025-02-26"]);
        var flip = e.Condition("snapback.confirm.ledger-flip");
        Assert.Null(flip.Met);
        Assert.Equal("this week +30.0 after last week unknown", flip.Observed);
        Assert.Equal("missing session(s) 2025-03-04, 2025-03-05 (data gap)", flip.UnknownReason);
        var previous = e.Condition("stabilizing.previous-week");
        Assert.Null(previous.Observed);
        Assert.Equal("missing session(s) 2025-03-04, 2025-03-05 (data gap)", previous.UnknownReason);
        Assert.Equal(D("2025-03-07"), previous.AsOf);
        var reset = e.Condition("reset.completed-weeks");
        Assert.Null(reset.Met);
        Assert.Equal("week to 7 Mar unknown; week to 28 Feb unknown", reset.Observed);
        Assert.Equal("missing session(s) 2025-02-26, 2025-03-04, 2025-03-05 (data gap)", reset.UnknownReason);
    }

    [Fact]
    public void Known_conditions_carry_no_unknown_reason()
    {
        var e = Evaluate([("2025-03-05", -10m), (AsOf, 200m)]);
        foreach (var id in new[] { "snapback.confirm.ledger-flip", "stabilizing.previous-week", "reset.completed-weeks", "caution.trigger.streak", "snapback.trigger.session" })
        {
            var c = e.Condition(id);
            Assert.NotNull(c.Met);
            Assert.Null(c.UnknownReason);
        }

        Assert.Equal("\u221210.0 (week to 7 Mar)", e.Condition("stabilizing.previous-week").Observed);
        Assert.Equal(-10m, e.Condition("stabilizing.previous-week").ObservedValue);
    }

    [Fact]
    public void Derivatives_observations_are_signed_percentages_and_BTC_with_their_venues()
    {
        var up = Evaluate([], [Reading(AsOf, basis: 8.25m, oiChange: 2.5m, cmeChange: 1234m, cmeReport: "2025-03-11")]);
        Assert.Equal("+2.5%", up.Condition("rebuild.confirm.oi-offshore").Observed);
        Assert.Equal("8.25%", up.Condition("rebuild.confirm.basis").Observed);
        var cme = up.Condition("rebuild.confirm.oi-cme");
        Assert.Equal("+1,234 BTC (COT 11 Mar)", cme.Observed);
        Assert.Equal("cftc", cme.Source);
        Assert.Equal(1234m, cme.ObservedValue);
        Assert.Equal(Datasets.Derivatives, cme.Dataset);
        Assert.Equal("binance+okx", up.Condition("rebuild.confirm.basis").Source);

        var down = Evaluate([], [Reading(AsOf, basis: -1.5m, oiChange: -3m, cmeChange: -50m, cmeReport: "2025-03-11")]);
        Assert.Equal("\u22123%", down.Condition("caution.confirm.oi-offshore").Observed);
        Assert.Equal("\u22121.5%", down.Condition("caution.confirm.basis").Observed);
        Assert.Equal("\u221250 BTC (COT 11 Mar)", down.Condition("rebuild.confirm.oi-cme").Observed);

        var flat = Evaluate([], [Reading(AsOf, oiChange: 0m, cmeChange: 0m, cmeReport: "2025-03-11")]);
        Assert.Equal("0%", flat.Condition("rebuild.confirm.oi-offshore").Observed);
        Assert.Equal("0 BTC (COT 11 Mar)", flat.Condition("rebuild.confirm.oi-cme").Observed);
    }

    [Fact]
    public void A_reading_without_venues_or_from_sample_data_says_so()
    {
        var bare = Reading(AsOf, basis: 5m) with { Venues = [] };
        Assert.Equal("derivatives", Evaluate([], [bare]).Condition("caution.confirm.basis").Source);
        var sample = Reading(AsOf, basis: 5m) with { Illustrative = true };
        var e = Evaluate([], [sample]);
        Assert.Equal("binance+okx (illustrative)", e.Condition("caution.confirm.basis").Source);
        Assert.Equal("illustrative (sample) readings, not market data", e.Freshness.Single(f => f.Dataset == Datasets.Derivatives).Note);
        Assert.Null(Evaluate([], [Reading(AsOf, basis: 5m)]).Freshness.Single(f => f.Dataset == Datasets.Derivatives).Note);
    }

    [Fact]
    public void Change_conditions_show_both_readings_and_the_change()
    {
        var e = Evaluate([], [Reading("2025-03-07", basis: 8m), Reading(AsOf, basis: 9.5m)]);
        var rising = e.Condition("rebuild.confirm.basis-rising");
        Assert.Equal("9.5% from 8% on 7 Mar", rising.Observed);
        Assert.Equal(1.5m, rising.ObservedValue);
        Assert.Equal(D(AsOf), rising.AsOf);
        Assert.Equal("binance+okx", rising.Source);
    }

    [Fact]
    public void Missing_derivatives_fields_and_baselines_are_named()
    {
        var noBaseline = Evaluate([], [Reading(AsOf, basis: 9m, funding: 5m)]);
        Assert.Equal("baseline for 2025-03-07: no derivatives reading on or before 2025-03-07", noBaseline.Condition("rebuild.confirm.basis-rising").UnknownReason);
        Assert.Equal(D(AsOf), noBaseline.Condition("rebuild.confirm.basis-rising").AsOf);
        Assert.Equal("3m basis not in the 2025-03-12 reading", Evaluate([], [Reading(AsOf, funding: 5m)]).Condition("snapback.confirm.basis").UnknownReason);
        Assert.Equal("offshore OI change not in the 2025-03-12 reading", noBaseline.Condition("caution.confirm.oi-offshore").UnknownReason);
        Assert.Equal(D(AsOf), noBaseline.Condition("caution.confirm.oi-offshore").AsOf);
        Assert.Equal("CME OI change not in the 2025-03-12 reading", noBaseline.Condition("rebuild.confirm.oi-cme").UnknownReason);
        Assert.Equal(D(AsOf), noBaseline.Condition("rebuild.confirm.oi-cme").AsOf);

        var baselineWithoutField = Evaluate([], [Reading("2025-03-05", basis: 5m), Reading(AsOf, funding: 5m)]);
        Assert.Equal("funding not in the 2025-03-05 reading", baselineWithoutField.Condition("deleveraging.funding-falling").UnknownReason);
        Assert.Equal("funding not in the 2025-03-12 reading", Evaluate([], [Reading("2025-03-05", funding: 5m), Reading(AsOf, basis: 5m)]).Condition("deleveraging.funding-falling").UnknownReason);

        var none = Evaluate([]);
        foreach (var id in new[] { "rebuild.confirm.basis", "rebuild.confirm.basis-rising", "rebuild.confirm.oi-cme", "snapback.risk.funding" })
        {
            Assert.Equal("no derivatives reading on or before 2025-03-12", none.Condition(id).UnknownReason);
            Assert.Equal(Datasets.Derivatives, none.Condition(id).Dataset);
        }

        Assert.True(none.Condition("snapback.risk.funding").IsRiskFlag);
        Assert.Equal("derivatives stale: latest reading 2025-03-07 is 3 sessions before 2025-03-12 (limit 1)", Evaluate([], [Reading("2025-03-07", basis: 2m)]).Condition("caution.confirm.basis").UnknownReason);
    }

    [Theory]
    [InlineData("rebuild.confirm.basis", "3m basis")]
    [InlineData("rebuild.confirm.basis-rising", "3m basis")]
    [InlineData("rebuild.confirm.oi-offshore", "offshore OI change")]
    [InlineData("rebuild.confirm.funding", "funding")]
    [InlineData("caution.confirm.basis", "3m basis")]
    [InlineData("caution.confirm.oi-offshore", "offshore OI change")]
    [InlineData("snapback.confirm.basis", "3m basis")]
    [InlineData("snapback.risk.funding", "funding")]
    [InlineData("deleveraging.basis", "3m basis")]
    [InlineData("deleveraging.funding-falling", "funding")]
    [InlineData("deleveraging.oi-falling", "offshore OI change")]
    public void A_reading_without_the_field_a_condition_needs_names_the_field(string id, string field)
    {
        var c = Evaluate([], [Reading(AsOf)]).Condition(id);
        Assert.Null(c.Met);
        Assert.Equal($"{field} not in the 2025-03-12 reading", c.UnknownReason);
    }

    [Fact]
    public void CME_staleness_names_the_report_and_its_age()
    {
        var c = Evaluate([], [Reading(AsOf, cmeChange: 5m, cmeReport: "2025-02-25")]).Condition("rebuild.confirm.oi-cme");
        Assert.Equal("CFTC report of 2025-02-25 is 15 days old (limit 14)", c.UnknownReason);
    }

    [Fact]
    public void Weekly_conditions_name_the_week_its_source_and_why_they_are_unknown()
    {
        var e = Evaluate([("2025-03-05", -900m)], weeks: [Week("2025-03-07", -1000m, "2025-03-10")]);
        var coinShares = e.Condition("caution.confirm.coinshares");
        Assert.Equal("\u22121,000.0 (week to 7 Mar)", coinShares.Observed);
        Assert.Equal(Datasets.WeeklyFlows, coinShares.Dataset);
        var ratio = e.Condition("etf-led.ratio");
        Assert.Equal("US ETFs \u2212900.0 \u00f7 CoinShares \u22121,000.0 = 0.90 (week to 7 Mar)", ratio.Observed);
        Assert.Equal(0.9m, ratio.ObservedValue);
        Assert.Equal(D("2025-03-07"), ratio.AsOf);
        Assert.Equal("coinshares", ratio.Source);
        Assert.Equal(Datasets.WeeklyFlows, ratio.Dataset);

        var none = Evaluate([]);
        Assert.Equal("no CoinShares week published by 2025-03-12", none.Condition("caution.confirm.coinshares").UnknownReason);
        Assert.Equal("no CoinShares week published by 2025-03-12", none.Condition("etf-led.ratio").UnknownReason);
        Assert.Equal("no CoinShares week published by 2025-03-12", none.Freshness.Single(f => f.Dataset == Datasets.WeeklyFlows).Note);
        var stale = Evaluate([], weeks: [Week("2025-02-28", -2000m, "2025-03-03")]);
        Assert.Equal("CoinShares weekly stale: latest week ends 2025-02-28, 12 days before 2025-03-12 (limit 11)", stale.Condition("caution.confirm.coinshares").UnknownReason);
    }

    [Fact]
    public void Etf_led_is_unknown_with_the_missing_ETF_sessions_and_not_applicable_for_a_zero_global_week()
    {
        var gap = Evaluate([], weeks: [Week("2025-03-07", -1000m, "2025-03-10")], without: ["2025-03-05", "2025-03-06"]).Condition("etf-led.ratio");
        Assert.Null(gap.Met);
        Assert.Equal(Datasets.EtfFlows, gap.Dataset);
        Assert.Equal("US ETF week to 2025-03-07 has missing session(s) 2025-03-05, 2025-03-06", gap.UnknownReason);
        Assert.Equal(D("2025-03-07"), gap.AsOf);

        var zero = Evaluate([("2025-03-05", 50m)], weeks: [Week("2025-03-07", 0m, "2025-03-10")]);
        var ratio = zero.Condition("etf-led.ratio");
        Assert.False(ratio.Met);
        Assert.Null(ratio.ObservedValue);
        Assert.Equal("US ETFs +50.0 \u00f7 CoinShares 0.0 = n/a (week to 7 Mar)", ratio.Observed);
    }

    [Fact]
    public void Missing_as_of_flows_make_the_flow_conditions_unknown_with_the_reason()
    {
        var e = Evaluate([], without: [AsOf]);
        foreach (var id in new[] { "rebuild.trigger.streak", "caution.trigger.streak", "snapback.trigger.session", "stabilizing.session" })
        {
            var c = e.Condition(id);
            Assert.Null(c.Met);
            Assert.Equal("no usable ETF flows for 2025-03-12", c.UnknownReason);
            Assert.Equal(Datasets.EtfFlows, c.Dataset);
        }

        var trigger = e.Condition("caution.trigger.streak");
        Assert.True(trigger.IsTrigger);
        Assert.Equal(D(AsOf), trigger.AsOf);
        Assert.True(e.Scenario(ScenarioKind.Caution).StreakUnknown);
        Assert.Equal(0, e.Scenario(ScenarioKind.Caution).StreakLength);
        Assert.Equal("Idle: streak 0+? of 4; 0 of 3 confirmations met, 3 unknown", e.Scenario(ScenarioKind.Caution).Summary);
        // This week is unknown without today, but last week summed 0: the ledger cannot flip whatever today holds.
        Assert.Equal("Idle: trigger unknown; 0 of 2 confirmations met, 1 unknown", e.Scenario(ScenarioKind.Snapback).Summary);
        Assert.False(e.Condition("snapback.confirm.ledger-flip").Met);
        var etf = e.Freshness.Single(f => f.Dataset == Datasets.EtfFlows);
        Assert.True(etf.Stale);
        Assert.Equal("no usable ETF flows for 2025-03-12", etf.Note);
        Assert.Equal(D("2025-03-11"), etf.LatestAsOf);
        Assert.Null(e.SessionTotalUsdM);
        Assert.Equal("Neutral: no scenario triggered, no flows for 12 Mar; no scenario building.", e.Headline);
    }

    [Fact]
    public void Scenario_summaries_count_confirmations_and_name_risk_flags()
    {
        // Snapback triggered, basis met, ledger flip not met (last week 0), funding 25% raises the risk flag.
        var e = Evaluate([(AsOf, 900m)], [Reading(AsOf, basis: 13m, funding: 25m)]);
        Assert.Equal("Triggered: trigger met; 1 of 2 confirmations met; Risk: funding \u2265 20% annualised (late-cycle leverage)", e.Scenario(ScenarioKind.Snapback).Summary);
        Assert.Equal("Building: streak 1 of 3; 1 of 5 confirmations met, 3 unknown", e.Scenario(ScenarioKind.Rebuild).Summary);
        Assert.Equal("Idle: streak 0 of 4; 0 of 3 confirmations met, 2 unknown", e.Scenario(ScenarioKind.Caution).Summary);

        var idle = Evaluate([(AsOf, 100m)], [Reading(AsOf, basis: 5m, funding: 5m)]);
        Assert.Equal("Idle: trigger not met; 0 of 2 confirmations met", idle.Scenario(ScenarioKind.Snapback).Summary);
    }

    [Fact]
    public void The_episode_start_is_given_only_once_a_scenario_is_triggered()
    {
        var building = Evaluate([("2025-03-11", 300m), (AsOf, 300m)]);
        Assert.Equal(ScenarioStatus.Building, building.Scenario(ScenarioKind.Rebuild).Status);
        Assert.Null(building.Scenario(ScenarioKind.Rebuild).EpisodeStart);
        var triggered = Evaluate([("2025-03-10", 300m), ("2025-03-11", 300m), (AsOf, 300m)]);
        Assert.Equal(D(AsOf), triggered.Scenario(ScenarioKind.Rebuild).EpisodeStart);
    }

    [Fact]
    public void Headlines_of_the_scenario_regimes()
    {
        var caution = Evaluate([("2025-03-07", -25.5m), ("2025-03-10", -25.5m), ("2025-03-11", -25.5m), (AsOf, -25.5m)]);
        Assert.Equal(Regime.Caution, caution.Regime);
        Assert.Equal("Caution triggered: 4 sessions in a row below 0.0m to 12 Mar (latest \u221225.5m); 0 of 3 confirmations met (3 unknown).", caution.Headline);

        var rebuild = Evaluate([("2025-03-10", 300m), ("2025-03-11", 300m), (AsOf, 310m)], [Reading("2025-03-07", basis: 8m), Reading(AsOf, basis: 9m, funding: 5m, oiChange: 1m, cmeChange: 10m, cmeReport: "2025-03-11")]);
        Assert.Equal("Rebuild confirmed: 3 sessions in a row \u2265 +200.0m to 12 Mar (latest +310.0m); 5 of 5 confirmations met.", rebuild.Headline);

        var snapback = Evaluate([("2025-03-04", -10m), (AsOf, 800m)], [Reading(AsOf, basis: 13m, funding: 30m)]);
        Assert.Equal("Snapback confirmed: +800.0m on 12 Mar (\u2265 +750.0m); 2 of 2 confirmations met.", snapback.Headline);
    }

    [Fact]
    public void Neutral_and_Reset_headlines_show_the_streak_under_way()
    {
        // Red and green streaks exclude each other (red < MaxDailyFlowUsdM <= 0 <= MinDailyFlowUsdM): the one under way is shown.
        var rebuild = Evaluate([("2025-03-11", 300m), (AsOf, 300m)]);
        Assert.Equal("Neutral: no scenario triggered, +300.0m on 12 Mar; Rebuild not triggered (green streak 2 of 3).", rebuild.Headline);
        var caution = Evaluate([("2025-03-10", -1m), ("2025-03-11", -1m), (AsOf, -1m)]);
        Assert.Equal("Neutral: no scenario triggered, \u22121.0m on 12 Mar; Caution not triggered (red streak 3 of 4).", caution.Headline);

        var reset = Evaluate([("2025-02-25", -1200m), ("2025-03-11", 0m)]);
        Assert.Equal(Regime.Reset, reset.Regime);
        Assert.Equal("Reset: the week to 28 Feb summed \u22121,200.0m; no scenario building.", reset.Headline);
    }

    [Fact]
    public void Freshness_reports_when_each_dataset_was_last_updated()
    {
        var changed = new DateTimeOffset(2025, 3, 13, 1, 30, 0, TimeSpan.Zero);
        var sessions = Flat("2025-02-03", AsOf, 0m).Select(s => s.Date == D(AsOf) ? s with { LastChangedUtc = changed } : s).ToList();
        var week = Week("2025-03-07", -10m, "2025-03-10") with { LastChangedUtc = changed.AddDays(-2) };
        var reading = Reading(AsOf, basis: 5m);
        var e = Engine().Evaluate(new RuleInputs(sessions, [week], [reading], D("2025-02-03")), D(AsOf));
        Assert.Equal(changed, e.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).LastUpdatedUtc);
        Assert.Equal(changed.AddDays(-2), e.Freshness.Single(f => f.Dataset == Datasets.WeeklyFlows).LastUpdatedUtc);
        Assert.Equal(reading.AsOfUtc, e.Freshness.Single(f => f.Dataset == Datasets.Derivatives).LastUpdatedUtc);
        Assert.Null(e.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Note);
        Assert.All(e.Freshness, f => Assert.False(f.Stale));

        // Never stamped (default) reads as unknown, not as 0001-01-01.
        var unstamped = Engine().Evaluate(new RuleInputs(Flat("2025-02-03", AsOf, 0m), [Week("2025-03-07", -10m, "2025-03-10")], [reading with { AsOfUtc = default }], D("2025-02-03")), D(AsOf));
        Assert.All(unstamped.Freshness, f => Assert.Null(f.LastUpdatedUtc));
    }

    [Fact]
    public void The_ETF_freshness_note_gives_the_staleness_first_and_names_pending_funds()
    {
        var asOf = D("2025-03-11");
        var closeOfNext = Tapewatch.Core.Time.NewYorkTime.CloseUtc(D("2025-03-12"));
        var provisional = Session("2025-03-11", -50m, SessionStatus.Provisional) with
        {
            Funds = new Dictionary<string, decimal?> { ["IBIT"] = -50m, ["FBTC"] = null, ["ARKB"] = null },
        };
        var sessions = Flat("2025-02-03", "2025-03-10", 0m).Append(provisional).ToList();
        var inputs = new RuleInputs(sessions, coverageStart: D("2025-02-03"));

        var fresh = Engine().Evaluate(inputs, asOf, now: closeOfNext.AddHours(1));
        Assert.Equal("2025-03-11 is provisional (pending: FBTC, ARKB)", fresh.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Note);

        var overdue = Engine().Evaluate(inputs, asOf, now: closeOfNext.AddHours(18));
        var etf = overdue.Freshness.Single(f => f.Dataset == Datasets.EtfFlows);
        Assert.True(etf.Stale);
        Assert.Equal("ETF flows stale: session 2025-03-12 is still missing 18 h after its close", etf.Note);

        var finalOverdue = Engine().Evaluate(new RuleInputs(Flat("2025-02-03", "2025-03-11", 0m), coverageStart: D("2025-02-03")), asOf, now: closeOfNext.AddHours(18));
        Assert.Equal("ETF flows stale: session 2025-03-12 is still missing 18 h after its close", finalOverdue.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Note);
    }

    [Fact]
    public void The_derivatives_freshness_note_gives_the_staleness()
    {
        var e = Evaluate([], [Reading("2025-03-07", basis: 2m) with { Illustrative = true }]);
        var derivatives = e.Freshness.Single(f => f.Dataset == Datasets.Derivatives);
        Assert.True(derivatives.Stale);
        Assert.Equal("derivatives stale: latest reading 2025-03-07 is 3 sessions before 2025-03-12 (limit 1)", derivatives.Note);
        Assert.Equal("no derivatives reading on or before 2025-03-12", Evaluate([]).Freshness.Single(f => f.Dataset == Datasets.Derivatives).Note);
    }

    [Fact]
    public void Default_values_of_results()
    {
        var scenario = new ScenarioResult { Scenario = ScenarioKind.Rebuild, Status = ScenarioStatus.Idle, StreakLength = 0, StreakTarget = 3, Conditions = [] };
        Assert.Equal("", scenario.Summary);
        var e = Evaluate([]);
        Assert.Throws<InvalidOperationException>(() => (e with { Scenarios = [] }).Scenario(ScenarioKind.Rebuild));
    }
}
