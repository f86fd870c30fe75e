using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Core.Alerts;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using static Tapewatch.Tests.Alerts.AlertTestData;

namespace Tapewatch.Tests.Alerts;

/// <summary>
/// The lifecycle's edges with injected time (FakeTimeProvider): what is skipped and why, what the ledger and the cursor
/// record, reminders and resolutions under silences, regime changes that wait or are inhibited, and what each notice says.
/// Sessions: Mon 3 … Fri 14 Nov 2025; evaluations at 22:00 UTC on their session unless said otherwise.
/// </summary>
public sealed class AlertLifecycleEdgeTests
{
    private static readonly DateOnly Mon = D("2025-11-03");
    private static readonly DateOnly Tue = D("2025-11-04");
    private static readonly DateOnly Wed = D("2025-11-05");
    private static readonly DateOnly Thu = D("2025-11-06");

    private sealed class Run(Action<AlertOptions>? configure = null)
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero));

        public AlertOptions Options { get; } = Configure(configure);

        public LifecycleHarness Harness => _harness ??= new LifecycleHarness(Lifecycle);

        public AlertLifecycle Lifecycle => _lifecycle ??= new AlertLifecycle(Options, TradingCalendar.Default);

        private LifecycleHarness? _harness;
        private AlertLifecycle? _lifecycle;

        public DateTimeOffset Now => _time.GetUtcNow();

        /// <summary>Applies an evaluation at <paramref name="at"/> (default 22:00 UTC on its session).</summary>
        public AlertDecision Apply(RegimeEvaluation evaluation, DateTimeOffset? at = null)
        {
            var when = at ?? Evening(evaluation.AsOfSession);
            if (when > _time.GetUtcNow()) _time.SetUtcNow(when);
            return Harness.Apply(evaluation, _time.GetUtcNow());
        }

        public void Silence(string matcher, string until, string id = "s1")
        {
            Assert.True(SilenceMatcher.TryParse(matcher, out var m, out var error), error);
            Harness.Silences.Add(new Silence
            {
                Id = id,
                Matchers = [m!],
                StartsUtc = _time.GetUtcNow(),
                EndsUtc = DateTimeOffset.Parse(until + "Z", CultureInfo.InvariantCulture),
                Comment = "test",
                CreatedUtc = _time.GetUtcNow(),
            });
        }

        public AlertState State(string identity) => Assert.Single(Harness.Ledger.Alerts, a => a.Identity == identity);

        private static AlertOptions Configure(Action<AlertOptions>? configure)
        {
            var o = new AlertOptions();
            configure?.Invoke(o);
            return o;
        }
    }

    private static RegimeEvaluation Caution(DateOnly session, ScenarioStatus status, DateOnly? episode = null, bool provisional = false, Regime regime = Regime.Neutral, string[]? stale = null, DateTimeOffset? updated = null) =>
        Evaluation(session, provisional, regime, [Scenario(ScenarioKind.Caution, status, episode ?? Mon, streak: 4, summary: $"{status}: streak 4 of 4")], stale, updated);

    private static string[] Ids(AlertDecision d) => [.. d.Notices.Select(n => n.NotificationId)];

    [Fact]
    public void Decide_needs_an_evaluation_and_a_ledger()
    {
        var lifecycle = new AlertLifecycle(new AlertOptions(), TradingCalendar.Default);
        Assert.Throws<ArgumentNullException>(() => lifecycle.Decide(null!, AlertLedger.Empty, [], Evening(Mon)));
        Assert.Throws<ArgumentNullException>(() => lifecycle.Decide(Caution(Mon, ScenarioStatus.Triggered), null!, [], Evening(Mon)));
    }

    [Fact]
    public void Disabled_alerts_decide_nothing_and_say_why()
    {
        var run = new Run(o => o.Enabled = false);
        var d = run.Apply(Caution(Mon, ScenarioStatus.Triggered, regime: Regime.Caution));
        Assert.Equal("alerts are disabled (Tapewatch:Alerts:Enabled=false)", d.Skipped);
        Assert.Empty(d.Notices);
        Assert.Empty(d.Changed);
        Assert.Null(d.Cursor);
    }

    [Fact]
    public void An_evaluation_older_than_the_cursor_is_skipped_with_the_reason()
    {
        var run = new Run();
        run.Apply(Caution(Wed, ScenarioStatus.Triggered, Wed));
        var d = run.Apply(Caution(Tue, ScenarioStatus.Idle));
        Assert.Equal("session 2025-11-04 is older than the latest session alerted on (2025-11-05)", d.Skipped);
        Assert.Empty(d.Changed);
        Assert.Null(d.Cursor);
    }

    [Theory]
    [InlineData("2025-11-06 22:00", null)]   // Mon 3 Nov is 3 sessions before Thu 6 Nov: the limit
    [InlineData("2025-11-07 22:00", "session 2025-11-03 is 4+ sessions before the latest closed session 2025-11-07: history raises no alerts (Tapewatch:Alerts:MaxSessionAge)")]
    public void History_is_skipped_beyond_exactly_MaxSessionAge_sessions(string at, string? skipped)
    {
        var run = new Run();
        var now = DateTimeOffset.Parse(at + "Z", CultureInfo.InvariantCulture);
        var d = run.Apply(Caution(Mon, ScenarioStatus.Triggered, updated: now.AddHours(-1)), now);
        Assert.Equal(skipped, d.Skipped);
        Assert.Equal(skipped is null ? ["scenario:caution:triggered:2025-11-03:firing"] : [], Ids(d));
    }

    [Fact]
    public void An_alert_of_another_scenario_firing_does_not_absorb_a_new_trigger()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        var both = Evaluation(Tue, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, Mon), Scenario(ScenarioKind.Rebuild, ScenarioStatus.Triggered, Tue)]);
        Assert.Equal(["scenario:rebuild:triggered:2025-11-04:firing"], Ids(run.Apply(both)));
    }

    [Fact]
    public void Another_scenario_confirmed_does_not_confirm_a_new_trigger()
    {
        var run = new Run();
        run.Apply(Evaluation(Mon, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Confirmed, Mon)]));
        var d = run.Apply(Evaluation(Tue, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Confirmed, Mon), Scenario(ScenarioKind.Rebuild, ScenarioStatus.Triggered, Tue)]));
        Assert.Equal(["scenario:rebuild:triggered:2025-11-04:firing"], Ids(d));
    }

    [Fact]
    public void A_triggered_scenario_without_an_episode_start_raises_nothing()
    {
        var run = new Run();
        var d = run.Apply(Evaluation(Mon, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, episodeStart: null)]));
        Assert.Empty(d.Notices);
        Assert.Empty(d.Changed);
    }

    [Fact]
    public void The_cursor_follows_the_sessions_and_is_not_rewritten_when_nothing_changed()
    {
        var run = new Run();
        var first = run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        Assert.Equal(Mon, first.Cursor!.LastSession);
        Assert.Equal(Regime.Neutral, first.Cursor.Regime);
        Assert.Equal(Mon, first.Cursor.RegimeSession);
        Assert.Equal(Evening(Mon), first.Cursor.UpdatedUtc);

        var again = run.Apply(Caution(Mon, ScenarioStatus.Triggered), Evening(Mon).AddMinutes(5));
        Assert.Null(again.Skipped);
        Assert.Null(again.Cursor);
        Assert.Empty(again.Changed);
        Assert.Empty(again.Notices);

        var next = run.Apply(Caution(Tue, ScenarioStatus.Triggered));
        Assert.Equal(Tue, next.Cursor!.LastSession);
        Assert.Equal(Regime.Neutral, next.Cursor.Regime);
        Assert.Equal(Mon, next.Cursor.RegimeSession);
    }

    [Fact]
    public void The_regime_baseline_survives_sessions_without_a_change()
    {
        var run = new Run();
        Assert.Empty(run.Apply(Caution(Mon, ScenarioStatus.Idle)).Notices);
        Assert.Empty(run.Apply(Caution(Tue, ScenarioStatus.Idle)).Notices);
        Assert.Equal(["regime-change:regime:reset:2025-11-05:firing"], Ids(run.Apply(Caution(Wed, ScenarioStatus.Idle, regime: Regime.Reset))));
        Assert.Equal(Regime.Reset, run.Harness.Ledger.Cursor!.Regime);
        Assert.Equal(Wed, run.Harness.Ledger.Cursor.RegimeSession);
    }

    [Fact]
    public void A_firing_alert_records_when_it_was_last_seen_and_sessions_since_its_notice()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        const string id = "scenario:caution:triggered:2025-11-03";
        var fired = run.State(id);
        Assert.True(fired.Notified);
        Assert.Equal(Mon, fired.NotifiedSession);
        Assert.False(fired.NotifiedProvisional);
        Assert.Equal((Mon, 0), (fired.LastSeenSession, fired.SessionsSinceNotified));

        run.Apply(Caution(Tue, ScenarioStatus.Triggered));
        var d = run.Apply(Caution(Wed, ScenarioStatus.Triggered));
        var state = Assert.Single(d.Changed);
        Assert.Equal((Wed, 2), (state.LastSeenSession, state.SessionsSinceNotified));
        Assert.Equal(Evening(Wed), state.UpdatedUtc);
        Assert.Equal(AlertStatus.Firing, state.Status);
    }

    [Fact]
    public void A_withheld_alert_counts_no_sessions_since_a_notice_it_never_had()
    {
        var run = new Run();
        run.Silence("scenario=Caution", "2025-11-20 00:00");
        run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        run.Apply(Caution(Tue, ScenarioStatus.Triggered));
        var state = run.State("scenario:caution:triggered:2025-11-03");
        Assert.False(state.Notified);
        Assert.Equal((Tue, 0), (state.LastSeenSession, state.SessionsSinceNotified));
        Assert.Equal("silenced by s1 until 2025-11-20 00:00Z", state.Suppressed);
    }

    [Fact]
    public void A_reminder_due_during_a_silence_is_withheld_and_sent_once_the_silence_has_expired()
    {
        var run = new Run(o => o.RepeatEverySessions = 2);
        Assert.Equal(["scenario:caution:triggered:2025-11-03:firing"], Ids(run.Apply(Caution(Mon, ScenarioStatus.Triggered))));
        run.Silence("scenario=Caution", "2025-11-06 00:00");
        Assert.Empty(run.Apply(Caution(Tue, ScenarioStatus.Triggered)).Notices);

        var due = run.Apply(Caution(Wed, ScenarioStatus.Triggered));
        Assert.Empty(due.Notices);
        Assert.Equal([("scenario:caution:triggered:2025-11-03:repeat-1", "silenced by s1 until 2025-11-06 00:00Z")], due.Withheld);
        var state = run.State("scenario:caution:triggered:2025-11-03");
        Assert.Equal((0, 0, Mon), (state.RepeatCount, state.SessionsSinceNotified, state.NotifiedSession));

        var sent = run.Apply(Caution(Thu, ScenarioStatus.Triggered));
        var notice = Assert.Single(sent.Notices);
        Assert.Equal("scenario:caution:triggered:2025-11-03:repeat-1", notice.NotificationId);
        Assert.Equal(1, notice.Repeat);
        Assert.Equal("Caution triggered \u2014 episode from 2025-11-03 (reminder 1)", notice.Title);
        state = run.State("scenario:caution:triggered:2025-11-03");
        Assert.Equal((1, 0, Thu), (state.RepeatCount, state.SessionsSinceNotified, state.NotifiedSession));
        Assert.Null(state.Suppressed);
    }

    [Fact]
    public void A_notice_on_provisional_data_is_recorded_as_such()
    {
        var run = new Run(o => o.Provisional = ProvisionalPolicy.Alert);
        run.Apply(Caution(Mon, ScenarioStatus.Triggered, provisional: true));
        Assert.True(run.State("scenario:caution:triggered:2025-11-03").NotifiedProvisional);
    }

    [Fact]
    public void Redelivering_an_absent_session_does_not_count_it_twice_towards_resolution()
    {
        var run = new Run(o => o.ResolveAfterSessions = 2);
        run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        Assert.Empty(run.Apply(Caution(Tue, ScenarioStatus.Building)).Notices);
        Assert.Empty(run.Apply(Caution(Tue, ScenarioStatus.Building), Evening(Tue).AddHours(1)).Notices);
        var state = run.State("scenario:caution:triggered:2025-11-03");
        Assert.Equal((1, Tue), (state.AbsentFinalSessions, state.LastAbsentSession));
        Assert.Equal(["scenario:caution:triggered:2025-11-03:resolved"], Ids(run.Apply(Caution(Wed, ScenarioStatus.Building))));
        var resolved = run.State("scenario:caution:triggered:2025-11-03");
        Assert.Equal((AlertStatus.Resolved, Wed, 2), (resolved.Status, resolved.ResolvedSession, resolved.AbsentFinalSessions));
    }

    [Fact]
    public void A_confirmed_resolution_covers_only_its_own_scenario()
    {
        var run = new Run();
        run.Apply(Evaluation(Mon, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Confirmed, Mon), Scenario(ScenarioKind.Rebuild, ScenarioStatus.Triggered, Mon)]));
        var d = run.Apply(Evaluation(Tue, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Idle), Scenario(ScenarioKind.Rebuild, ScenarioStatus.Idle)]));
        Assert.Equal(["scenario:caution:confirmed:2025-11-03:resolved", "scenario:rebuild:triggered:2025-11-03:resolved"], Ids(d).Order(StringComparer.Ordinal));
        Assert.Equal([("scenario:caution:triggered:2025-11-03:resolved", "covered by the resolved notice of scenario:caution:confirmed:2025-11-03")], d.Withheld);
        Assert.Equal("covered by the resolved notice of scenario:caution:confirmed:2025-11-03", run.State("scenario:caution:triggered:2025-11-03").Suppressed);
    }

    [Fact]
    public void A_silenced_resolution_is_recorded_with_the_silence()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Triggered));
        run.Silence("event=Resolved", "2025-11-20 00:00");
        Assert.Empty(run.Apply(Caution(Tue, ScenarioStatus.Idle)).Notices);
        var state = run.State("scenario:caution:triggered:2025-11-03");
        Assert.Equal(AlertStatus.Resolved, state.Status);
        Assert.Equal("silenced by s1 until 2025-11-20 00:00Z", state.Suppressed);
    }

    [Fact]
    public void The_first_regime_is_a_baseline_once_it_may_be_announced()
    {
        var alertPolicy = new Run(o => o.Provisional = ProvisionalPolicy.Alert);
        Assert.Equal(Regime.Reset, alertPolicy.Apply(Caution(Mon, ScenarioStatus.Idle, provisional: true, regime: Regime.Reset)).Cursor!.Regime);

        var waiting = new Run();
        var d = waiting.Apply(Caution(Mon, ScenarioStatus.Idle, provisional: true, regime: Regime.Reset));
        Assert.Null(d.Cursor!.Regime);
        Assert.Null(d.Cursor.RegimeSession);
    }

    [Fact]
    public void A_regime_change_on_provisional_data_waits_for_final_data()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Idle));
        var waiting = run.Apply(Caution(Tue, ScenarioStatus.Idle, provisional: true, regime: Regime.Reset));
        Assert.Empty(waiting.Notices);
        Assert.Equal([("regime:Reset", "waiting for final data for 2025-11-04")], waiting.Withheld);
        Assert.DoesNotContain(waiting.Changed, a => a.Kind == AlertKind.RegimeChange);
        Assert.Equal(Regime.Neutral, run.Harness.Ledger.Cursor!.Regime);

        Assert.Equal(["regime-change:regime:reset:2025-11-04:firing"], Ids(run.Apply(Caution(Tue, ScenarioStatus.Idle, regime: Regime.Reset), Evening(Tue).AddHours(3))));
    }

    [Fact]
    public void A_regime_change_while_the_tape_is_stale_is_inhibited_and_announced_when_fresh()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Idle));
        var stale = run.Apply(Caution(Tue, ScenarioStatus.Idle, regime: Regime.Reset, stale: [Datasets.EtfFlows]));
        Assert.Equal(["data-stale:etf-flows:stale:2025-11-04:firing"], Ids(stale));
        Assert.Contains(("regime-change:regime:reset:2025-11-04:firing", "inhibited: DataStale etf-flows"), stale.Withheld);
        Assert.DoesNotContain(stale.Changed, a => a.Kind == AlertKind.RegimeChange);
        Assert.Equal((Regime.Neutral, Mon), (run.Harness.Ledger.Cursor!.Regime, run.Harness.Ledger.Cursor.RegimeSession));

        var fresh = run.Apply(Caution(Wed, ScenarioStatus.Idle, regime: Regime.Reset));
        Assert.Equal(["data-stale:etf-flows:stale:2025-11-04:resolved", "regime-change:regime:reset:2025-11-05:firing"], Ids(fresh));
    }

    [Fact]
    public void A_regime_change_is_folded_only_into_the_triggered_notice_of_the_same_scenario()
    {
        var run = new Run();
        run.Apply(Caution(Mon, ScenarioStatus.Idle));
        var other = run.Apply(Caution(Tue, ScenarioStatus.Triggered, Tue, regime: Regime.Reset));
        Assert.Equal(["scenario:caution:triggered:2025-11-04:firing", "regime-change:regime:reset:2025-11-04:firing"], Ids(other));
        var announced = Assert.Single(other.Changed, a => a.Kind == AlertKind.RegimeChange);
        Assert.Equal((true, Tue, false, "Neutral", "Reset"), (announced.Notified, announced.NotifiedSession, announced.NotifiedProvisional, announced.PreviousRegime, announced.Level));
        Assert.Equal((AlertStatus.Resolved, Tue, Tue), (announced.Status, announced.ResolvedSession, announced.EpisodeStart));
        Assert.Null(announced.Suppressed);
        var notice = other.Notices.Single(n => n.Kind == NotificationKind.RegimeChange);
        Assert.Equal("Regime changed: Neutral \u2192 Reset", notice.Title);
        Assert.Equal(("Reset", "Neutral"), (notice.Regime, notice.PreviousRegime));

        var same = new Run();
        same.Apply(Caution(Mon, ScenarioStatus.Idle));
        var folded = same.Apply(Caution(Tue, ScenarioStatus.Triggered, Tue, regime: Regime.Caution));
        Assert.Equal(["scenario:caution:triggered:2025-11-04:firing"], Ids(folded));
        Assert.Contains(("regime-change:regime:caution:2025-11-04:firing", "announced by the Caution triggered notice"), folded.Withheld);
        var state = Assert.Single(folded.Changed, a => a.Kind == AlertKind.RegimeChange);
        Assert.False(state.Notified);
        Assert.Equal("announced by the Caution triggered notice", state.Suppressed);
        Assert.Equal(Regime.Caution, same.Harness.Ledger.Cursor!.Regime);
    }

    [Theory]
    [InlineData(ProvisionalPolicy.WaitUntilCutoff, "waiting for final data for 2025-11-03 (until 2025-11-04 14:00Z)")]
    [InlineData(ProvisionalPolicy.WaitForFinal, "waiting for final data for 2025-11-03")]
    public void Waiting_for_final_data_says_until_when(ProvisionalPolicy policy, string reason)
    {
        var run = new Run(o => o.Provisional = policy);
        var d = run.Apply(Caution(Mon, ScenarioStatus.Triggered, provisional: true));
        Assert.Equal([("scenario:caution:triggered:2025-11-03:firing", reason)], d.Withheld);
    }

    [Theory]
    [InlineData(95.9, false)]
    [InlineData(96.0, false)] // exactly the limit (4 days) is still fresh
    [InlineData(96.1, true)]
    public void A_dataset_not_updated_for_longer_than_its_limit_is_stale(double hours, bool stale)
    {
        var run = new Run();
        var e = Caution(Mon, ScenarioStatus.Idle);
        e = e with { Freshness = [.. e.Freshness.Select(f => f with { LastUpdatedUtc = f.Dataset == Datasets.EtfFlows ? Evening(Mon).AddHours(-hours) : Evening(Mon) })] };
        var d = run.Apply(e);
        Assert.Equal(stale ? ["data-stale:etf-flows:stale:2025-11-03:firing"] : [], Ids(d));
    }

    [Fact]
    public void Notices_name_what_they_are_about()
    {
        var run = new Run();
        var d = run.Apply(Evaluation(Mon, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Confirmed, Mon, streak: 4, summary: "Confirmed: streak 4 of 4")]));
        var triggered = d.Notices.Single(n => n.Kind == NotificationKind.Triggered);
        Assert.Equal("Caution triggered \u2014 episode from 2025-11-03", triggered.Title);
        Assert.Equal(("Caution", (string?)null, "Triggered", "Confirmed", "4 of 4"), (triggered.Scenario, triggered.Dataset, triggered.Level, triggered.ScenarioStatus, triggered.Streak));
        Assert.Equal("Confirmed: streak 4 of 4", triggered.Detail);
        Assert.Equal((Mon, Mon, 0, false), (triggered.EpisodeStart, triggered.AsOfSession, triggered.Repeat, triggered.Provisional));
        Assert.Equal("scenario:caution:triggered:2025-11-03", triggered.AlertIdentity);
        Assert.Equal((AlertKind.Scenario, "Neutral", (string?)null), (triggered.AlertKind, triggered.Regime, triggered.PreviousRegime));
        Assert.Equal(Evening(Mon), triggered.CreatedUtc);
        Assert.Equal(["trigger", "confirmation", "confirmation"], triggered.Conditions.Select(c => c.Role));
        Assert.Equal(["etf-flows (farside)", "derivatives (okx)", "weekly-flows"], triggered.Conditions.Select(c => c.Source));
        Assert.Equal("Caution confirmed \u2014 episode from 2025-11-03", d.Notices.Single(n => n.Kind == NotificationKind.Confirmed).Title);

        var resolved = run.Apply(Evaluation(Tue, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Idle)]));
        var notice = Assert.Single(resolved.Notices);
        Assert.Equal("Caution resolved (was confirmed) \u2014 episode from 2025-11-03", notice.Title);
        Assert.Equal(NotificationKind.Resolved, notice.Kind);
        Assert.Equal("Idle", notice.ScenarioStatus);
        Assert.Null(notice.Detail);

        var plain = new Run();
        plain.Apply(Caution(Mon, ScenarioStatus.Triggered));
        Assert.Equal("Caution resolved \u2014 episode from 2025-11-03", Assert.Single(plain.Apply(Caution(Tue, ScenarioStatus.Idle)).Notices).Title);
    }

    [Fact]
    public void A_streak_cut_by_a_gap_reads_unknown_in_the_notice()
    {
        var run = new Run();
        var scenario = Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, Mon, streak: 4) with { StreakUnknown = true };
        Assert.Equal("unknown (data gap)", Assert.Single(run.Apply(Evaluation(Mon, scenarios: [scenario])).Notices).Streak);
    }

    [Fact]
    public void A_risk_flag_reads_as_risk_and_a_condition_source_without_dataset_as_itself()
    {
        var run = new Run();
        var scenario = Scenario(ScenarioKind.Snapback, ScenarioStatus.Triggered, Mon);
        scenario = scenario with
        {
            Conditions =
            [
                .. scenario.Conditions,
                new ConditionResult { Id = "snapback.risk.funding", Text = "Risk", Threshold = "\u2265 20%", IsRiskFlag = true, Met = true, Source = "okx" },
            ],
        };
        var notice = Assert.Single(run.Apply(Evaluation(Mon, scenarios: [scenario])).Notices);
        Assert.Equal(("risk", "okx", "met"), (notice.Conditions[3].Role, notice.Conditions[3].Source, notice.Conditions[3].MetText));
        Assert.Equal(("unknown", "no report yet"), (notice.Conditions[2].MetText, notice.Conditions[2].UnknownReason));
        Assert.Equal("not met", notice.Conditions[1].MetText);
    }

    [Fact]
    public void Data_stale_notices_describe_the_dataset_and_are_never_provisional()
    {
        var run = new Run();
        var e = Caution(Mon, ScenarioStatus.Idle, provisional: true, stale: [Datasets.Derivatives]);
        e = e with
        {
            Freshness =
            [
                .. e.Freshness.Select(f => f.Dataset == Datasets.Derivatives
                    ? f with { LastUpdatedUtc = new DateTimeOffset(2025, 11, 2, 21, 5, 0, TimeSpan.Zero), LatestAsOf = D("2025-10-31"), Note = "derivatives stale: latest reading 2025-10-31" }
                    : f with { LastUpdatedUtc = null, LatestAsOf = null }),
            ],
        };
        var stale = Assert.Single(run.Apply(e).Notices);
        Assert.Equal(NotificationKind.DataStale, stale.Kind);
        Assert.Equal("Data stale: derivatives", stale.Title);
        Assert.False(stale.Provisional);
        Assert.Equal(((string?)null, "derivatives", "Stale"), (stale.Scenario, stale.Dataset, stale.Level));
        Assert.Equal("derivatives is stale: last updated 2025-11-02 21:05Z, latest data 2025-10-31 (limit 12 h). derivatives stale: latest reading 2025-10-31", stale.Detail);
        Assert.Empty(stale.Conditions);
        Assert.Null(stale.Streak);
        Assert.Null(stale.ScenarioStatus);

        var fresh = Caution(Tue, ScenarioStatus.Idle, provisional: true);
        var resolved = Assert.Single(run.Apply(fresh).Notices);
        Assert.Equal("Data fresh again: derivatives", resolved.Title);
        Assert.False(resolved.Provisional);
        Assert.Equal("derivatives is fresh again: last updated 2025-11-04 21:00Z, latest data 2025-11-04.", resolved.Detail);
    }

    [Fact]
    public void A_limit_in_minutes_reads_in_tenths_of_an_hour()
    {
        var run = new Run(o => o.DerivativesStaleAfter = TimeSpan.FromMinutes(20));
        var e = Caution(Mon, ScenarioStatus.Idle, stale: [Datasets.Derivatives]);
        Assert.Contains("(limit 0.3 h).", Assert.Single(run.Apply(e).Notices).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_never_updated_dataset_without_a_limit_says_so()
    {
        var run = new Run(o => o.WeeklyFlowsStaleAfter = null);
        var e = Caution(Mon, ScenarioStatus.Idle, stale: [Datasets.WeeklyFlows]);
        e = e with { Freshness = [.. e.Freshness.Select(f => f.Dataset == Datasets.WeeklyFlows ? f with { LastUpdatedUtc = null, LatestAsOf = null } : f)] };
        Assert.Equal("weekly-flows is stale: never updated.", Assert.Single(run.Apply(e).Notices).Detail);
    }

    [Fact]
    public void A_provisional_scenario_notice_is_marked_but_its_first_line_stays_the_headline()
    {
        var run = new Run(o => o.Provisional = ProvisionalPolicy.Alert);
        var notice = Assert.Single(run.Apply(Caution(Mon, ScenarioStatus.Triggered, provisional: true)).Notices);
        Assert.True(notice.Provisional);
        Assert.Equal("[provisional] Caution triggered \u2014 episode from 2025-11-03", notice.Title);
        Assert.Equal("Neutral as of 2025-11-03 <b>&</b>", notice.Headline);
    }
}
