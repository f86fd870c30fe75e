using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>
/// Edges of the rules: freshness limits at exactly their value, streaks that reach the loaded window or the ETF launch,
/// provisional sessions anywhere a rule looks, half-known week sums, and what the inputs index answers.
/// </summary>
public sealed class BoundaryAndUnknownTests
{
    private const string AsOf = "2025-03-12";

    private static RegimeEvaluation Evaluate(IEnumerable<EtfSession> sessions, string asOf = AsOf, IEnumerable<DerivativesDaily>? derivatives = null, IEnumerable<WeeklyFundFlow>? weeks = null, DateOnly? coverageStart = null, Action<RulesOptions>? configure = null) =>
        Engine(configure).Evaluate(new RuleInputs(sessions, weeks, derivatives, coverageStart ?? D("2025-02-03")), D(asOf));

    private static List<EtfSession> Tape(params (string Date, decimal Total)[] overrides)
    {
        var sessions = Flat("2025-02-03", AsOf, 0m).ToDictionary(s => s.Date);
        foreach (var (date, total) in overrides) sessions[D(date)] = Session(date, total);
        return [.. sessions.Values];
    }

    [Theory]
    [InlineData("2025-03-11", true)]   // the week to Fri 28 Feb is 11 days old on Tue 11 Mar: the limit
    [InlineData("2025-03-12", false)]  // 12 days
    public void A_CoinShares_week_is_fresh_up_to_exactly_the_age_limit(string asOf, bool fresh)
    {
        var e = Evaluate(Tape(), asOf: asOf, weeks: [Week("2025-02-28", -2000m, "2025-03-03")]);
        Assert.Equal(fresh ? true : null, e.Condition("caution.confirm.coinshares").Met);
        Assert.Equal(!fresh, e.Freshness.Single(f => f.Dataset == Datasets.WeeklyFlows).Stale);
    }

    [Theory]
    [InlineData("2025-02-26", true)]   // 14 days before Wed 12 Mar, the limit
    [InlineData("2025-02-25", null)]   // 15 days
    public void A_CFTC_report_is_usable_up_to_exactly_the_age_limit(string reported, bool? met)
    {
        var e = Evaluate(Tape(), derivatives: [Reading(AsOf, cmeChange: 100m, cmeReport: reported)]);
        Assert.Equal(met, e.Condition("rebuild.confirm.oi-cme").Met);
    }

    [Fact]
    public void A_week_is_not_used_before_it_has_ended_even_when_published_early()
    {
        // Published on its own Friday: only from the next session on.
        var weeks = new[] { Week("2025-03-07", -2000m, "2025-03-07") };
        Assert.Null(Evaluate(Tape(), asOf: "2025-03-07", weeks: weeks).Condition("caution.confirm.coinshares").Met);
        Assert.True(Evaluate(Tape(), asOf: "2025-03-10", weeks: weeks).Condition("caution.confirm.coinshares").Met);
    }

    [Fact]
    public void A_week_without_a_publication_date_is_usable_from_the_Monday_after()
    {
        var weeks = new[] { Week("2025-03-07", -2000m) };
        Assert.Null(Evaluate(Tape(), asOf: "2025-03-07", weeks: weeks).Condition("caution.confirm.coinshares").Met);
        Assert.True(Evaluate(Tape(), asOf: "2025-03-10", weeks: weeks).Condition("caution.confirm.coinshares").Met);
    }

    [Fact]
    public void The_latest_published_week_is_used_whatever_order_the_weeks_come_in_and_a_restated_week_replaces_the_first()
    {
        var weeks = new[]
        {
            Week("2025-03-07", -500m, "2025-03-10"),
            Week("2025-02-28", -2000m, "2025-03-03"),
            Week("2025-03-07", -1500m, "2025-03-10"), // restated: the later one wins
        };
        var c = Evaluate(Tape(), weeks: weeks).Condition("caution.confirm.coinshares");
        Assert.Equal(D("2025-03-07"), c.AsOf);
        Assert.Equal(-1500m, c.ObservedValue);
        Assert.True(c.Met);
    }

    [Fact]
    public void A_restated_derivatives_reading_replaces_the_first_for_its_session()
    {
        var e = Evaluate(Tape(), derivatives: [Reading(AsOf, basis: 9m), Reading("2025-03-11", basis: 1m), Reading(AsOf, basis: 2m)]);
        Assert.Equal(2m, e.Condition("caution.confirm.basis").ObservedValue);
    }

    [Fact]
    public void A_derivatives_reading_of_the_previous_session_is_fresh_and_one_before_it_is_stale_across_a_weekend()
    {
        // Monday 10 Mar: Friday's reading is 1 session old (the limit), Thursday's 2.
        Assert.True(Evaluate(Tape(), asOf: "2025-03-10", derivatives: [Reading("2025-03-07", basis: 2m)]).Condition("caution.confirm.basis").Met);
        Assert.Null(Evaluate(Tape(), asOf: "2025-03-10", derivatives: [Reading("2025-03-06", basis: 2m)]).Condition("caution.confirm.basis").Met);
    }

    [Fact]
    public void A_streak_that_fills_the_loaded_window_exactly_is_known()
    {
        // Loaded from Mon 10 Mar: three green sessions are all there is, and all the trigger needs.
        var sessions = Sessions([("2025-03-10", 300m), ("2025-03-11", 300m), ("2025-03-12", 300m)]);
        var e = Evaluate(sessions, coverageStart: D("2025-03-10"));
        var rebuild = e.Scenario(ScenarioKind.Rebuild);
        Assert.Equal(3, rebuild.StreakLength);
        Assert.False(rebuild.StreakUnknown);
        Assert.Equal("+300.0 (green streak 3 of 3)", e.Condition("rebuild.trigger.streak").Observed);

        // Two green sessions at the edge of the window could be more: unknown.
        var short_ = Evaluate(sessions.Skip(1), coverageStart: D("2025-03-11"));
        Assert.True(short_.Scenario(ScenarioKind.Rebuild).StreakUnknown);
        Assert.Null(short_.Condition("rebuild.trigger.streak").Met);
        Assert.Contains("2025-03-10", short_.Condition("rebuild.trigger.streak").UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_right_behind_a_completed_streak_leaves_it_known()
    {
        var sessions = Tape(("2025-03-07", -1m), ("2025-03-10", -1m), ("2025-03-11", -1m), ("2025-03-12", -1m)).Where(s => s.Date != D("2025-03-06")).ToList();
        var caution = Evaluate(sessions).Scenario(ScenarioKind.Caution);
        Assert.Equal(4, caution.StreakLength);
        Assert.False(caution.StreakUnknown);
        Assert.Equal(ScenarioStatus.Triggered, caution.Status);
    }

    [Fact]
    public void A_streak_stops_at_the_ETF_launch_and_is_known_there()
    {
        // The first sessions: Thu 11 Jan 2024 … ; Mon 15 Jan 2024 was a holiday (MLK Day).
        var sessions = Sessions([("2024-01-11", -10m), ("2024-01-12", -10m), ("2024-01-16", -10m)]);
        var e = Engine().Evaluate(new RuleInputs(sessions), D("2024-01-16"));
        var caution = e.Scenario(ScenarioKind.Caution);
        Assert.Equal(3, caution.StreakLength);
        Assert.False(caution.StreakUnknown);
        Assert.False(e.Condition("caution.trigger.streak").Met);
        Assert.Equal(ScenarioStatus.Building, caution.Status);
    }

    [Fact]
    public void Weeks_partly_before_the_loaded_window_are_unknown()
    {
        // Loaded from Wed 5 Mar: Mon 3 and Tue 4 Mar are unknown, so last week's sum is too.
        var sessions = Flat("2025-03-05", AsOf, -10m);
        var e = Evaluate(sessions, coverageStart: D("2025-03-05"));
        var previous = e.Condition("stabilizing.previous-week");
        Assert.Null(previous.Met);
        Assert.Equal("missing session(s) 2025-03-03, 2025-03-04 (data gap)", previous.UnknownReason);
    }

    [Fact]
    public void Each_missing_session_of_a_week_is_named_once()
    {
        var ctx = new RuleContext(new RuleInputs(Flat("2025-03-05", AsOf, -10m), coverageStart: D("2025-03-05")), Calendar, new RulesOptions(), D(AsOf), null);
        var week = ctx.SumWeek(D("2025-03-03"), D("2025-03-07"));
        Assert.Null(week.Sum);
        Assert.Equal([D("2025-03-03"), D("2025-03-04")], week.Missing);
        Assert.Equal(3, week.Sessions);
    }

    [Fact]
    public void Weeks_before_the_ETF_launch_are_empty_not_unknown()
    {
        // As of Tue 16 Jan 2024 (the launch week was 8–12 Jan): last week holds only 11 and 12 Jan.
        var sessions = Sessions([("2024-01-11", -600m), ("2024-01-12", -500m), ("2024-01-16", 200m)]);
        var e = Engine().Evaluate(new RuleInputs(sessions), D("2024-01-16"));
        var previous = e.Condition("stabilizing.previous-week");
        Assert.True(previous.Met);
        Assert.Equal(-1100m, previous.ObservedValue);
        Assert.Equal(Regime.Stabilizing, e.Regime);
    }

    [Fact]
    public void Sessions_given_before_an_explicit_start_of_the_window_are_not_used()
    {
        // The window starts Mon 10 Mar: last week's sessions are outside it even though some were passed.
        var e = Evaluate(Tape(("2025-03-05", -50m)), coverageStart: D("2025-03-10"));
        Assert.Null(e.Condition("stabilizing.previous-week").Met);
    }

    [Fact]
    public void A_provisional_session_deep_in_a_streak_marks_the_evaluation_provisional()
    {
        // A red run from Mon 17 Feb to Wed 12 Mar; Tue 18 Feb (three weeks back, outside every week sum) is provisional.
        var sessions = Tape().Select(s => s.Date >= D("2025-02-18") ? Session(s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), -5m, s.Date == D("2025-02-18") ? SessionStatus.Provisional : SessionStatus.Final) : s).ToList();
        var e = Evaluate(sessions);
        Assert.True(e.Provisional);
        Assert.EndsWith(", provisional", e.Condition("caution.trigger.streak").Observed, StringComparison.Ordinal);
        Assert.EndsWith("(provisional).", e.Headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_provisional_sessions_in_a_streak_still_mark_it_provisional()
    {
        var sessions = Tape().Select(s => s.Date >= D("2025-02-18")
            ? Session(s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), -5m, s.Date == D("2025-02-18") || s.Date == D("2025-02-19") ? SessionStatus.Provisional : SessionStatus.Final)
            : s).ToList();
        Assert.EndsWith(", provisional", Evaluate(sessions).Condition("caution.trigger.streak").Observed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provisional_session_in_last_week_marks_the_evaluation_provisional_through_the_week_sums()
    {
        // Today is final and breaks every streak at once; last Tuesday is provisional.
        var sessions = Tape().Select(s => s.Date == D("2025-03-04") ? Session("2025-03-04", -10m, SessionStatus.Provisional) : s).ToList();
        var e = Evaluate(sessions);
        Assert.True(e.Provisional);
        Assert.DoesNotContain("provisional", e.Condition("caution.trigger.streak").Observed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_context_reports_week_sums_and_streaks_with_what_fed_them()
    {
        var sessions = Tape(("2025-03-10", -3m), ("2025-03-11", -4m))
            .Select(s => s.Date == D("2025-03-04") ? Session("2025-03-04", -10m, SessionStatus.Provisional) : s.Date == D("2025-03-05") ? Session("2025-03-05", -5m, SessionStatus.Provisional) : s)
            .ToList();
        var ctx = new RuleContext(new RuleInputs(sessions, coverageStart: D("2025-02-03")), Calendar, new RulesOptions(), D("2025-03-11"), null);

        var lastWeek = ctx.SumWeek(D("2025-03-03"), D("2025-03-07"));
        Assert.Equal(-15m, lastWeek.Sum);
        Assert.Equal(5, lastWeek.Sessions);
        Assert.Empty(lastWeek.Missing);
        Assert.True(lastWeek.Provisional);
        Assert.Equal(D("2025-03-07"), lastWeek.WeekEnding);

        var thisWeek = ctx.SumWeek(D("2025-03-10"), D("2025-03-11"));
        Assert.Equal(-7m, thisWeek.Sum);
        Assert.Equal(2, thisWeek.Sessions);
        Assert.False(thisWeek.Provisional);
        Assert.Equal(D("2025-03-11"), thisWeek.Through);

        var streak = ctx.Streak(t => t < 0, 4);
        Assert.Equal([D("2025-03-11"), D("2025-03-10")], streak.Dates);
        Assert.False(streak.Unknown);
        Assert.Null(streak.GapDate);
        Assert.False(streak.Provisional);
        Assert.True(ctx.ProvisionalUsed);
    }

    [Fact]
    public void Reading_the_as_of_total_alone_records_a_provisional_session_as_used()
    {
        var sessions = Tape().Select(s => s.Date == D(AsOf) ? Session(AsOf, 5m, SessionStatus.Provisional) : s).ToList();
        var ctx = new RuleContext(new RuleInputs(sessions, coverageStart: D("2025-02-03")), Calendar, new RulesOptions(), D(AsOf), null);
        Assert.False(ctx.ProvisionalUsed);
        Assert.Equal(((decimal?)5m, (string?)null), ctx.AsOfTotal());
        Assert.True(ctx.ProvisionalUsed);
    }

    [Fact]
    public void A_week_sum_stops_at_the_Friday_of_its_week()
    {
        var ctx = new RuleContext(new RuleInputs(Tape(("2025-03-07", 4m), ("2025-03-10", 100m))), Calendar, new RulesOptions(), D(AsOf), null);
        var week = ctx.SumWeek(D("2025-03-03"), D("2025-03-12"));
        Assert.Equal(D("2025-03-07"), week.Through);
        Assert.Equal(4m, week.Sum);
        Assert.Equal(5, week.Sessions);
    }

    [Fact]
    public void The_session_a_number_of_sessions_back_skips_weekends_and_holidays()
    {
        var ctx = new RuleContext(new RuleInputs(Tape()), Calendar, new RulesOptions(), D(AsOf), null);
        Assert.Equal(D("2025-03-07"), ctx.SessionsBefore(D("2025-03-12"), 3));
        Assert.Equal(D("2025-04-17"), ctx.SessionsBefore(D("2025-04-21"), 1)); // Good Friday 18 Apr
        Assert.Equal(D("2025-03-12"), ctx.SessionsBefore(D("2025-03-12"), 0));
    }

    [Theory]
    [InlineData(10.0, null, null)]     // this week > 0, last week unknown: could flip
    [InlineData(0.0, null, false)]     // this week exactly 0: cannot flip whatever last week was
    [InlineData(-5.0, null, false)]
    [InlineData(null, 0.0, false)]     // last week exactly 0: cannot flip whatever this week is
    [InlineData(null, 5.0, false)]
    [InlineData(null, -5.0, null)]     // last week < 0, this week unknown: could flip
    public void A_half_known_ledger_flip_is_decided_when_the_known_half_rules_it_out(double? thisWeek, double? lastWeek, bool? met)
    {
        var overrides = new List<(string, decimal)>();
        var without = new List<DateOnly>();
        if (thisWeek is { } t) overrides.Add(("2025-03-10", (decimal)t)); else without.Add(D("2025-03-10"));
        if (lastWeek is { } l) overrides.Add(("2025-03-04", (decimal)l)); else without.Add(D("2025-03-04"));
        var c = Evaluate(Tape([.. overrides]).Where(s => !without.Contains(s.Date)).ToList()).Condition("snapback.confirm.ledger-flip");
        Assert.Equal(met, c.Met);
        Assert.Equal(met is null, c.UnknownReason is not null);
    }

    [Fact]
    public void Reset_with_one_week_unknown_and_the_other_above_the_threshold_is_unknown_but_a_hit_decides()
    {
        var gap = Tape(("2025-03-04", -500m)).Where(s => s.Date != D("2025-02-26")).ToList();
        var unknown = Evaluate(gap).Condition("reset.completed-weeks");
        Assert.Null(unknown.Met);
        Assert.Equal("missing session(s) 2025-02-26 (data gap)", unknown.UnknownReason);
        Assert.Equal(-500m, unknown.ObservedValue);
        Assert.Equal(D("2025-03-07"), unknown.AsOf);

        var hit = Tape(("2025-03-04", -1500m)).Where(s => s.Date != D("2025-02-26")).ToList();
        var met = Evaluate(hit).Condition("reset.completed-weeks");
        Assert.True(met.Met);
        Assert.Null(met.UnknownReason);
    }

    [Fact]
    public void A_signal_with_an_unknown_condition_and_none_failed_is_unknown()
    {
        // 200 is in the Stabilizing band; last week has a gap.
        var e = Evaluate(Tape((AsOf, 200m)).Where(s => s.Date != D("2025-03-05")).ToList());
        var stabilizing = e.Signal("stabilizing");
        Assert.Null(stabilizing.Active);
        Assert.Equal("+200.0; unknown", stabilizing.Observed);
        Assert.NotEqual(Regime.Stabilizing, e.Regime);

        var deleveraging = Evaluate(Tape(), derivatives: [Reading("2025-03-05", funding: 8m), Reading(AsOf, basis: 5m, funding: 6m, oiChange: -1m)]).Signal("deleveraging");
        Assert.True(deleveraging.Active);
    }

    [Fact]
    public void Derivatives_readings_are_found_on_or_before_a_date()
    {
        var inputs = new RuleInputs(Tape(), derivatives: [Reading("2025-03-05"), Reading("2025-03-07"), Reading("2025-03-11")]);
        Assert.Null(inputs.DerivativesOnOrBefore(D("2025-03-04")));
        Assert.Equal(D("2025-03-05"), inputs.DerivativesOnOrBefore(D("2025-03-05"))!.Session);
        Assert.Equal(D("2025-03-05"), inputs.DerivativesOnOrBefore(D("2025-03-06"))!.Session);
        Assert.Equal(D("2025-03-07"), inputs.DerivativesOnOrBefore(D("2025-03-10"))!.Session);
        Assert.Equal(D("2025-03-11"), inputs.DerivativesOnOrBefore(D("2025-03-31"))!.Session);
        Assert.Null(new RuleInputs([]).DerivativesOnOrBefore(D("2025-03-31")));
    }

    [Fact]
    public void Latest_stored_session_on_or_before_a_date()
    {
        var inputs = new RuleInputs(Sessions([("2025-03-05", 1m), ("2025-03-07", 2m), ("2025-03-10", 3m)]));
        Assert.Null(inputs.LatestSessionOnOrBefore(D("2025-03-04")));
        Assert.Equal(D("2025-03-05"), inputs.LatestSessionOnOrBefore(D("2025-03-05")));
        Assert.Equal(D("2025-03-05"), inputs.LatestSessionOnOrBefore(D("2025-03-06")));
        Assert.Equal(D("2025-03-07"), inputs.LatestSessionOnOrBefore(D("2025-03-09")));
        Assert.Equal(D("2025-03-10"), inputs.LatestSessionOnOrBefore(D("2025-03-20")));
        Assert.Null(new RuleInputs([]).LatestSessionOnOrBefore(D("2025-03-20")));
    }

    [Fact]
    public void The_loaded_window_starts_at_the_first_session_unless_given()
    {
        Assert.Equal(D("2025-03-05"), new RuleInputs(Sessions([("2025-03-07", 1m), ("2025-03-05", 1m)])).CoverageStart);
        Assert.Equal(D("2025-03-03"), new RuleInputs(Sessions([("2025-03-05", 1m)]), coverageStart: D("2025-03-03")).CoverageStart);
        Assert.Equal(RuleInputs.EtfLaunch, new RuleInputs([]).CoverageStart);
        Assert.Equal([D("2025-03-05"), D("2025-03-07")], new RuleInputs(Sessions([("2025-03-07", 1m), ("2025-03-05", 1m)])).SessionDates);
    }

    [Fact]
    public void Before_the_window_means_after_the_launch_and_before_the_first_loaded_date()
    {
        var inputs = new RuleInputs(Sessions([("2025-03-05", 1m)]));
        Assert.False(inputs.BeforeCoverage(D("2025-03-05")));
        Assert.True(inputs.BeforeCoverage(D("2025-03-04")));
        Assert.True(inputs.BeforeCoverage(RuleInputs.EtfLaunch));
        Assert.False(inputs.BeforeCoverage(RuleInputs.EtfLaunch.AddDays(-1)));
    }

    [Fact]
    public void Lookup_tells_sessions_non_sessions_and_gaps_apart()
    {
        var inputs = new RuleInputs(Sessions([("2025-03-05", 1m)]).Append(Session("2025-03-06", 2m, SessionStatus.Provisional)));
        Assert.Equal(SessionLookup.Session, inputs.Lookup(D("2025-03-05"), Calendar, false, out var s));
        Assert.Equal(1m, s!.TotalUsdM);
        Assert.Equal(SessionLookup.Session, inputs.Lookup(D("2025-03-06"), Calendar, false, out _));
        Assert.Equal(SessionLookup.Missing, inputs.Lookup(D("2025-03-06"), Calendar, true, out _));
        Assert.Equal(SessionLookup.Missing, inputs.Lookup(D("2025-03-07"), Calendar, false, out _));
        Assert.Equal(SessionLookup.NotASession, inputs.Lookup(D("2025-03-08"), Calendar, false, out _));
        Assert.Equal(SessionLookup.NotASession, inputs.Lookup(D("2025-04-18"), Calendar, false, out _)); // Good Friday
        Assert.Equal(SessionLookup.Missing, inputs.Lookup(RuleInputs.EtfLaunch, Calendar, false, out _));
        Assert.Equal(SessionLookup.NotASession, inputs.Lookup(RuleInputs.EtfLaunch.AddDays(-1), Calendar, false, out _));
    }

    public static TheoryData<int> WatermarkSources => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(WatermarkSources))]
    public void The_watermark_is_the_latest_change_whichever_dataset_holds_it(int latest)
    {
        var t0 = new DateTimeOffset(2025, 3, 12, 22, 0, 0, TimeSpan.Zero);
        TimeSpan Offset(int dataset, int i) => TimeSpan.FromHours((dataset == latest ? 10 : 0) + i);
        var sessions = new[] { Session("2025-03-11", 1m) with { LastChangedUtc = t0 + Offset(0, 0) }, Session("2025-03-12", 1m) with { LastChangedUtc = t0 + Offset(0, 1) } };
        var weeks = new[] { Week("2025-02-28", 1m) with { LastChangedUtc = t0 + Offset(1, 0) }, Week("2025-03-07", 1m) with { LastChangedUtc = t0 + Offset(1, 1) } };
        var readings = new[] { Reading("2025-03-11") with { AsOfUtc = t0 + Offset(2, 0) }, Reading("2025-03-12") with { AsOfUtc = t0 + Offset(2, 1) } };
        Assert.Equal(t0 + TimeSpan.FromHours(11), new RuleInputs(sessions, weeks, readings).Watermark);
    }
}
