using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

public sealed class StreakAndFreshnessTests
{
    private static RuleInputs Inputs(IEnumerable<EtfSession> sessions, IEnumerable<DerivativesDaily>? derivatives = null, IEnumerable<WeeklyFundFlow>? weeks = null) =>
        new(sessions, weeks, derivatives, D("2025-03-03"));

    [Fact]
    public void Good_Friday_neither_breaks_nor_extends_a_red_streak()
    {
        // 15, 16, 17 Apr 2025 red, Fri 18 Apr Good Friday (no session), Mon 21 Apr red: 4 in a row.
        var sessions = Flat("2025-03-03", "2025-04-14", 0m).Concat(Sessions([("2025-04-15", -10m), ("2025-04-16", -20m), ("2025-04-17", -30m), ("2025-04-21", -40m)]));
        var e = Engine().Evaluate(Inputs(sessions), D("2025-04-21"));
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.Equal(4, caution.StreakLength);
        Assert.Equal(ScenarioStatus.Triggered, caution.Status);
        Assert.False(caution.StreakUnknown);
        Assert.Equal(D("2025-04-21"), caution.EpisodeStart);
    }

    [Fact]
    public void A_holiday_row_from_the_old_Farside_layout_is_not_a_session()
    {
        // Before mid-2025 Farside listed holidays with every fund blank and Total 0.0: such rows are not sessions.
        var rows = new[]
        {
            new Core.Flows.EtfFlowRow(D("2025-04-17"), new Dictionary<string, decimal?> { ["IBIT"] = 250m }, 250m),
            new Core.Flows.EtfFlowRow(D("2025-04-18"), new Dictionary<string, decimal?> { ["IBIT"] = null }, 0m),
            new Core.Flows.EtfFlowRow(D("2025-04-21"), new Dictionary<string, decimal?> { ["IBIT"] = 260m }, 260m),
        };
        var sessions = Backtest.SessionsFromRows(rows, "csv");
        Assert.DoesNotContain(sessions, s => s.Date == D("2025-04-18"));
        var all = Flat("2025-03-03", "2025-04-15", 0m).Concat(Sessions([("2025-04-16", 240m)])).Concat(sessions);
        var e = Engine().Evaluate(Inputs(all), D("2025-04-21"));
        Assert.Equal(3, e.Scenario(ScenarioKind.Rebuild).StreakLength);
        Assert.Equal(ScenarioStatus.Triggered, e.Scenario(ScenarioKind.Rebuild).Status);
    }

    [Fact]
    public void A_missing_expected_session_makes_a_short_streak_unknown()
    {
        // Wed 16 Apr is missing: the red run 17 Apr could be 1 or more.
        var sessions = Flat("2025-03-03", "2025-04-15", -5m).Concat(Sessions([("2025-04-17", -30m)]));
        var e = Engine().Evaluate(Inputs(sessions), D("2025-04-17"));
        var trigger = e.Condition("caution.trigger.streak");
        Assert.Null(trigger.Met);
        Assert.Contains("2025-04-16", trigger.UnknownReason, StringComparison.Ordinal);
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.True(caution.StreakUnknown);
        Assert.Equal(1, caution.StreakLength);
        Assert.Equal(ScenarioStatus.Building, caution.Status);
        Assert.NotEqual(Regime.Caution, e.Regime);
    }

    [Fact]
    public void A_gap_behind_a_completed_streak_does_not_make_the_trigger_unknown()
    {
        var sessions = Flat("2025-03-03", "2025-04-10", 0m).Concat(Sessions([("2025-04-14", -1m), ("2025-04-15", -2m), ("2025-04-16", -3m), ("2025-04-17", -4m)]));
        var e = Engine().Evaluate(Inputs(sessions), D("2025-04-17")); // 11 Apr missing, but 4 reds are already in
        Assert.True(e.Condition("caution.trigger.streak").Met);
        Assert.Equal(ScenarioStatus.Triggered, e.Scenario(ScenarioKind.Caution).Status);
    }

    [Fact]
    public void A_gap_inside_a_week_makes_the_week_sums_unknown()
    {
        var sessions = Flat("2025-03-03", "2025-03-12", 10m).Where(s => s.Date != D("2025-03-05")).ToList();
        var e = Engine().Evaluate(Inputs(sessions), D("2025-03-12"));
        Assert.Null(e.Condition("stabilizing.previous-week").Met);
        Assert.Null(e.Condition("snapback.confirm.ledger-flip").Met);
        Assert.Contains("2025-03-05", e.Condition("stabilizing.previous-week").UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provisional_session_counts_and_marks_the_evaluation_provisional()
    {
        var sessions = Flat("2025-03-03", "2025-03-11", 0m).Append(Session("2025-03-12", 800m, SessionStatus.Provisional)).ToList();
        var e = Engine().Evaluate(Inputs(sessions), D("2025-03-12"));
        Assert.True(e.Provisional);
        Assert.True(e.Condition("snapback.trigger.session").Met);
        Assert.EndsWith("(provisional).", e.Headline, StringComparison.Ordinal);
        Assert.Contains("provisional", e.Condition("snapback.trigger.session").Observed, StringComparison.Ordinal);
        Assert.Contains("FBTC", e.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Note, StringComparison.Ordinal);

        var strict = Engine(o => o.TreatProvisionalAsUnknown = true).Evaluate(Inputs(sessions), D("2025-03-12"));
        Assert.Null(strict.Condition("snapback.trigger.session").Met);
        Assert.NotEqual(Regime.Snapback, strict.Regime);
    }

    [Fact]
    public void Final_sessions_are_not_provisional()
    {
        var e = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 10m)), D("2025-03-12"));
        Assert.False(e.Provisional);
        Assert.EndsWith(".", e.Headline, StringComparison.Ordinal);
        Assert.DoesNotContain("provisional", e.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Stale_derivatives_make_their_conditions_unknown()
    {
        // The reading of Fri 7 Mar is 3 sessions before Wed 12 Mar (limit 1).
        var e = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 0m), [Reading("2025-03-07", basis: 2m, funding: 5m, oiChange: -1m)]), D("2025-03-12"));
        var basis = e.Condition("caution.confirm.basis");
        Assert.Null(basis.Met);
        Assert.Contains("stale", basis.UnknownReason, StringComparison.Ordinal);
        Assert.True(e.Freshness.Single(f => f.Dataset == Datasets.Derivatives).Stale);
        Assert.Equal(D("2025-03-07"), e.Freshness.Single(f => f.Dataset == Datasets.Derivatives).LatestAsOf);

        // One session old is still fresh.
        var fresh = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 0m), [Reading("2025-03-11", basis: 2m)]), D("2025-03-12"));
        Assert.True(fresh.Condition("caution.confirm.basis").Met);
    }

    [Fact]
    public void A_stale_CoinShares_week_makes_its_conditions_unknown()
    {
        // Week to 28 Feb is 12 days before Wed 12 Mar (limit 11): stale.
        var e = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 0m), weeks: [Week("2025-02-28", -2000m, "2025-03-03")]), D("2025-03-12"));
        Assert.Null(e.Condition("caution.confirm.coinshares").Met);
        Assert.Null(e.Condition("etf-led.ratio").Met);
        Assert.True(e.Freshness.Single(f => f.Dataset == Datasets.WeeklyFlows).Stale);
    }

    [Fact]
    public void A_CoinShares_week_is_not_used_before_it_is_published()
    {
        var weeks = new[] { Week("2025-03-07", -2000m, "2025-03-11") };
        var monday = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 0m), weeks: weeks), D("2025-03-10"));
        Assert.Null(monday.Condition("caution.confirm.coinshares").Met);
        var tuesday = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-12", 0m), weeks: weeks), D("2025-03-11"));
        Assert.True(tuesday.Condition("caution.confirm.coinshares").Met);
    }

    [Fact]
    public void Etf_flows_are_stale_when_the_next_session_is_overdue_past_the_grace_period()
    {
        var sessions = Flat("2025-03-03", "2025-03-11", -50m);
        var asOf = D("2025-03-11");
        var closeOfNext = NewYorkTime.CloseUtc(D("2025-03-12"));
        var withinGrace = Engine().Evaluate(Inputs(sessions), asOf, now: closeOfNext.AddHours(17));
        Assert.True(withinGrace.Condition("caution.trigger.streak").Met);
        Assert.False(withinGrace.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Stale);

        var overdue = Engine().Evaluate(Inputs(sessions), asOf, now: closeOfNext.AddHours(18));
        Assert.Null(overdue.Condition("caution.trigger.streak").Met);
        Assert.Contains("2025-03-12", overdue.Condition("caution.trigger.streak").UnknownReason, StringComparison.Ordinal);
        Assert.True(overdue.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Stale);
        Assert.Contains("ETF flows stale", overdue.Headline, StringComparison.Ordinal);
    }

    public static TheoryData<ScenarioStatus, ScenarioStatus, ScenarioStatus, bool?, bool?, Regime> RegimeOrder => new()
    {
        // rebuild, caution, snapback, stabilizing, reset → regime
        { ScenarioStatus.Triggered, ScenarioStatus.Triggered, ScenarioStatus.Triggered, true, true, Regime.Snapback },
        { ScenarioStatus.Confirmed, ScenarioStatus.Confirmed, ScenarioStatus.Building, true, true, Regime.Caution },
        { ScenarioStatus.Triggered, ScenarioStatus.Building, ScenarioStatus.Building, true, true, Regime.Rebuild },
        { ScenarioStatus.Building, ScenarioStatus.Building, ScenarioStatus.Idle, true, true, Regime.Stabilizing },
        { ScenarioStatus.Building, ScenarioStatus.Building, ScenarioStatus.Idle, false, true, Regime.Reset },
        { ScenarioStatus.Building, ScenarioStatus.Building, ScenarioStatus.Idle, null, true, Regime.Reset },
        { ScenarioStatus.Building, ScenarioStatus.Idle, ScenarioStatus.Idle, false, null, Regime.Neutral },
        { ScenarioStatus.Idle, ScenarioStatus.Idle, ScenarioStatus.Idle, false, false, Regime.Neutral },
    };

    [Theory]
    [MemberData(nameof(RegimeOrder))]
    public void Regime_first_match_wins_in_the_DESIGN_order(ScenarioStatus rebuild, ScenarioStatus caution, ScenarioStatus snapback, bool? stabilizing, bool? reset, Regime expected)
    {
        static ScenarioResult S(ScenarioKind k, ScenarioStatus s) => new() { Scenario = k, Status = s, StreakLength = 0, StreakTarget = 1, Conditions = [] };
        var regime = RegimeEngine.DecideRegime(
            S(ScenarioKind.Rebuild, rebuild), S(ScenarioKind.Caution, caution), S(ScenarioKind.Snapback, snapback),
            new SignalResult { Id = "stabilizing", Text = "", Active = stabilizing },
            new ConditionResult { Id = "reset.completed-weeks", Text = "", Threshold = "", Met = reset });
        Assert.Equal(expected, regime);
    }

    [Fact]
    public void Three_sessions_above_750_trigger_Rebuild_and_Snapback_and_Snapback_wins()
    {
        var e = Engine().Evaluate(Inputs(Flat("2025-03-03", "2025-03-07", 0m).Concat(Flat("2025-03-10", "2025-03-12", 800m))), D("2025-03-12"));
        Assert.Equal(ScenarioStatus.Triggered, e.Scenario(ScenarioKind.Rebuild).Status);
        Assert.Equal(ScenarioStatus.Triggered, e.Scenario(ScenarioKind.Snapback).Status);
        Assert.Equal(Regime.Snapback, e.Regime);
        Assert.Equal(D("2025-03-10"), e.Scenario(ScenarioKind.Snapback).EpisodeStart);
        Assert.StartsWith("Snapback triggered: +800.0m on 12 Mar", e.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_bind_from_app_settings_and_are_validated()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Tapewatch:Rules:Rebuild:MinDailyFlowUsdM"] = "250",
            ["Tapewatch:Rules:Caution:StreakSessions"] = "5",
        }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddTapewatchApp(config).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RulesOptions>>().Value;
        Assert.Equal(250m, options.Rebuild.MinDailyFlowUsdM);
        Assert.Equal(5, options.Caution.StreakSessions);
        Assert.Equal(12m, options.Snapback.MinBasisPct);
        Assert.Same(options, provider.GetRequiredService<RegimeEngine>().Options);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Tapewatch:Rules:Rebuild:StreakSessions"] = "0",
            ["Tapewatch:Rules:Stabilizing:MinDailyFlowUsdM"] = "400",
        }).Build();
        using var badProvider = new ServiceCollection().AddSingleton<IConfiguration>(bad).AddLogging().AddTapewatchApp(bad).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<RulesOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.Contains("Rules:Rebuild", StringComparison.Ordinal) && f.Contains("StreakSessions", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Stabilizing", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_options_are_valid()
    {
        var options = new RulesOptions();
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
