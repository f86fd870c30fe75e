using Microsoft.Extensions.Time.Testing;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using static Tapewatch.Tests.Alerts.AlertTestData;

namespace Tapewatch.Tests.Alerts;

/// <summary>
/// Table-driven lifecycle cases: each step is one evaluation of Caution at a clock time (FakeTimeProvider), with the
/// notices it must produce (ids: identity + event). Sessions: Mon 3 … Fri 14 Nov 2025.
/// </summary>
public sealed class AlertLifecycleTests
{
    private const string Trig = "scenario:caution:triggered:2025-11-03:firing";
    private const string TrigResolved = "scenario:caution:triggered:2025-11-03:resolved";
    private const string Conf = "scenario:caution:confirmed:2025-11-03:firing";
    private const string ConfResolved = "scenario:caution:confirmed:2025-11-03:resolved";

    /// <summary>One evaluation. At = UTC clock ("yyyy-MM-dd HH:mm"), default 22:00 UTC on the session.</summary>
    public sealed record Step(
        string Session,
        ScenarioStatus Caution,
        string[] Expect,
        string Episode = "2025-11-03",
        bool Provisional = false,
        string? At = null,
        string[]? Stale = null,
        Regime Regime = Regime.Neutral,
        string? Silence = null,
        string? SilenceUntil = null);

    public sealed record Case(Action<AlertOptions> Configure, params Step[] Steps);

    private static readonly string[] None = [];

    private static Step S(string session, ScenarioStatus caution, string[] expect, string episode = "2025-11-03", bool Provisional = false, string? At = null, string[]? Stale = null, Regime Regime = Regime.Neutral, string? Silence = null, string? SilenceUntil = null, string? Episode = null) =>
        new(session, caution, expect, Episode ?? episode, Provisional, At, Stale, Regime, Silence, SilenceUntil);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["first fire"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig])),
        ["same evaluation delivered twice fires once"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-03", ScenarioStatus.Triggered, None)),
        ["episode continuing raises nothing without repeats"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Triggered, None),
            S("2025-11-05", ScenarioStatus.Triggered, None)),
        ["no repeat inside the interval, repeat after it"] = new(o => o.RepeatEverySessions = 3,
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Triggered, None),
            S("2025-11-05", ScenarioStatus.Triggered, None),
            S("2025-11-05", ScenarioStatus.Triggered, None),
            S("2025-11-06", ScenarioStatus.Triggered, ["scenario:caution:triggered:2025-11-03:repeat-1"]),
            S("2025-11-07", ScenarioStatus.Triggered, None),
            S("2025-11-11", ScenarioStatus.Triggered, ["scenario:caution:triggered:2025-11-03:repeat-2"])),
        ["resolve on final data"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, [TrigResolved]),
            S("2025-11-05", ScenarioStatus.Building, None)),
        ["no resolve on provisional data"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, None, Provisional: true),
            S("2025-11-04", ScenarioStatus.Building, None, Provisional: true, At: "2025-11-05 15:00"),
            S("2025-11-04", ScenarioStatus.Triggered, None)),
        ["a new episode after resolution fires again"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, [TrigResolved]),
            S("2025-11-10", ScenarioStatus.Triggered, ["scenario:caution:triggered:2025-11-10:firing"], Episode: "2025-11-10")),
        ["flapping confirmation is damped within the episode"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Confirmed, [Trig, Conf]),
            S("2025-11-04", ScenarioStatus.Triggered, None),
            S("2025-11-05", ScenarioStatus.Confirmed, None),
            S("2025-11-06", ScenarioStatus.Building, [ConfResolved])),
        ["flapping trigger is damped by resolve hysteresis"] = new(o => o.ResolveAfterSessions = 2,
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, None),
            S("2025-11-05", ScenarioStatus.Triggered, None, Episode: "2025-11-05"),
            S("2025-11-06", ScenarioStatus.Building, None),
            S("2025-11-07", ScenarioStatus.Building, [TrigResolved])),
        ["provisional waits until the cut-off, then alerts marked provisional"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, None, Provisional: true),
            S("2025-11-03", ScenarioStatus.Triggered, None, Provisional: true, At: "2025-11-04 13:59"),
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], Provisional: true, At: "2025-11-04 14:00"),
            S("2025-11-03", ScenarioStatus.Triggered, None, At: "2025-11-04 15:00")),
        ["provisional then final fires once, unmarked"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, None, Provisional: true),
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], At: "2025-11-04 01:00")),
        ["provisional trigger gone on final data raises nothing"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, None, Provisional: true),
            S("2025-11-03", ScenarioStatus.Building, None, At: "2025-11-04 01:00")),
        ["provisional policy Alert fires at once"] = new(o => o.Provisional = ProvisionalPolicy.Alert,
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], Provisional: true)),
        ["provisional policy WaitForFinal ignores the cut-off"] = new(o => o.Provisional = ProvisionalPolicy.WaitForFinal,
            S("2025-11-03", ScenarioStatus.Triggered, None, Provisional: true, At: "2025-11-05 20:00"),
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], At: "2025-11-05 21:00")),
        ["stale ETF flows inhibit the trigger until fresh"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, ["data-stale:etf-flows:stale:2025-11-03:firing"], Stale: [Datasets.EtfFlows]),
            S("2025-11-04", ScenarioStatus.Building, None, Stale: [Datasets.EtfFlows]),
            S("2025-11-05", ScenarioStatus.Triggered, ["data-stale:etf-flows:stale:2025-11-03:resolved", Trig])),
        ["stale ETF flows hold a firing alert instead of resolving it"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, ["data-stale:etf-flows:stale:2025-11-04:firing"], Stale: [Datasets.EtfFlows]),
            S("2025-11-05", ScenarioStatus.Triggered, ["data-stale:etf-flows:stale:2025-11-04:resolved"])),
        ["stale derivatives inhibit only the confirmation"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Confirmed, ["data-stale:derivatives:stale:2025-11-03:firing", Trig], Stale: [Datasets.Derivatives])),
        ["stale weekly flows inhibit Caution's confirmation"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Confirmed, ["data-stale:weekly-flows:stale:2025-11-03:firing", Trig], Stale: [Datasets.WeeklyFlows]),
            S("2025-11-04", ScenarioStatus.Confirmed, ["data-stale:weekly-flows:stale:2025-11-03:resolved", Conf])),
        ["active silence withholds, expired silence lets it through"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, None, Silence: "scenario=Caution", SilenceUntil: "2025-11-05 00:00"),
            S("2025-11-04", ScenarioStatus.Triggered, None),
            S("2025-11-05", ScenarioStatus.Triggered, [Trig])),
        ["silence on another scenario does not match"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], Silence: "scenario=~Rebuild|Snapback", SilenceUntil: "2025-11-20 00:00")),
        ["silenced resolution is recorded without a notice"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Idle, None, Silence: "event=Resolved", SilenceUntil: "2025-11-20 00:00"),
            S("2025-11-05", ScenarioStatus.Idle, None)),
        ["regime change is announced once, and not on top of a trigger"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Idle, None, Regime: Regime.Neutral),
            S("2025-11-04", ScenarioStatus.Idle, ["regime-change:regime:reset:2025-11-04:firing"], Regime: Regime.Reset),
            S("2025-11-04", ScenarioStatus.Idle, None, Regime: Regime.Reset),
            S("2025-11-05", ScenarioStatus.Triggered, ["scenario:caution:triggered:2025-11-05:firing"], Episode: "2025-11-05", Regime: Regime.Caution)),
        ["older sessions (re-evaluations) raise nothing"] = new(_ => { },
            S("2025-11-05", ScenarioStatus.Triggered, [Trig]),
            S("2025-11-04", ScenarioStatus.Building, None),
            S("2025-11-03", ScenarioStatus.Idle, None)),
        ["history far behind the clock raises nothing"] = new(_ => { },
            S("2025-11-03", ScenarioStatus.Triggered, None, At: "2025-11-12 22:00")),
        ["history is alerted when MaxSessionAge is 0 (demo replay)"] = new(o => o.MaxSessionAge = 0,
            S("2025-11-03", ScenarioStatus.Triggered, [Trig], At: "2026-02-12 22:00")),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Lifecycle(string name)
    {
        var @case = Cases[name];
        var options = new AlertOptions();
        @case.Configure(options);
        var time = new FakeTimeProvider();
        var harness = new LifecycleHarness(new AlertLifecycle(options, TradingCalendar.Default));
        for (var i = 0; i < @case.Steps.Length; i++)
        {
            var step = @case.Steps[i];
            var session = D(step.Session);
            var at = step.At is null ? Evening(session) : DateTimeOffset.Parse(step.At + "Z", System.Globalization.CultureInfo.InvariantCulture);
            if (at > time.GetUtcNow()) time.SetUtcNow(at); // re-evaluations of older sessions happen later, never earlier

            if (step.Silence is not null)
            {
                Assert.True(SilenceMatcher.TryParse(step.Silence, out var matcher, out var error), error);
                harness.Silences.Add(new Silence
                {
                    Id = "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Matchers = [matcher!],
                    StartsUtc = time.GetUtcNow(),
                    EndsUtc = DateTimeOffset.Parse(step.SilenceUntil! + "Z", System.Globalization.CultureInfo.InvariantCulture),
                    Comment = "test",
                    CreatedUtc = time.GetUtcNow(),
                });
            }

            var scenarios = new[] { Scenario(ScenarioKind.Caution, step.Caution, D(step.Episode)) };
            var evaluation = Evaluation(session, step.Provisional, step.Regime, scenarios, step.Stale, updatedUtc: time.GetUtcNow().AddHours(-1));
            var decision = harness.Apply(evaluation, time.GetUtcNow());
            var got = decision.Notices.Select(n => n.NotificationId).ToArray();
            Assert.True(step.Expect.SequenceEqual(got), $"step {i + 1} ({step.Session}): expected [{string.Join(", ", step.Expect)}] but got [{string.Join(", ", got)}]; withheld: {string.Join("; ", decision.Withheld.Select(w => w.NotificationId + " " + w.Reason))}; skipped: {decision.Skipped}");
        }
    }

    [Fact]
    public void Provisional_notice_is_marked_and_titled_provisional()
    {
        var options = new AlertOptions { Provisional = ProvisionalPolicy.Alert };
        var harness = new LifecycleHarness(new AlertLifecycle(options, TradingCalendar.Default));
        var session = D("2025-11-03");
        var decision = harness.Apply(Evaluation(session, provisional: true, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, session)]), Evening(session));
        var notice = Assert.Single(decision.Notices);
        Assert.True(notice.Provisional);
        Assert.StartsWith("[provisional] Caution triggered", notice.Title, StringComparison.Ordinal);
        Assert.Equal(NotificationKind.Triggered, notice.Kind);
        Assert.Equal(3, notice.Conditions.Count);
    }

    [Fact]
    public void Withheld_notice_names_the_silence_and_inhibitor()
    {
        var harness = new LifecycleHarness(new AlertLifecycle(new AlertOptions(), TradingCalendar.Default));
        var session = D("2025-11-03");
        var decision = harness.Apply(Evaluation(session, scenarios: [Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, session)], staleDatasets: [Datasets.EtfFlows]), Evening(session));
        var (id, reason) = Assert.Single(decision.Withheld);
        Assert.Equal(Trig, id);
        Assert.Equal("inhibited: DataStale etf-flows", reason);
        var state = Assert.Single(harness.Ledger.Alerts, a => a.Kind == AlertKind.Scenario);
        Assert.False(state.Notified);
        Assert.Equal(reason, state.Suppressed);
    }

    [Fact]
    public void Freshness_limit_marks_a_dataset_stale_even_when_the_engine_does_not()
    {
        var options = new AlertOptions { DerivativesStaleAfter = TimeSpan.FromHours(6) };
        var harness = new LifecycleHarness(new AlertLifecycle(options, TradingCalendar.Default));
        var session = D("2025-11-03");
        var evaluation = Evaluation(session, updatedUtc: Evening(session).AddHours(-7));
        var decision = harness.Apply(evaluation with { Freshness = [.. evaluation.Freshness.Select(f => f.Dataset == Datasets.Derivatives ? f : f with { LastUpdatedUtc = Evening(session) })] }, Evening(session));
        var notice = Assert.Single(decision.Notices);
        Assert.Equal("data-stale:derivatives:stale:2025-11-03:firing", notice.NotificationId);
        Assert.Contains("limit 6 h", notice.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Provisional_cutoff_is_nine_New_York_on_the_next_session()
    {
        var lifecycle = new AlertLifecycle(new AlertOptions(), TradingCalendar.Default);
        Assert.Equal(new DateTimeOffset(2025, 11, 4, 14, 0, 0, TimeSpan.Zero), lifecycle.ProvisionalCutoffUtc(D("2025-11-03")));
        // Friday 7 Nov → Monday 10 Nov; summer time: Fri 3 Oct → Mon 6 Oct 13:00 UTC.
        Assert.Equal(new DateTimeOffset(2025, 11, 10, 14, 0, 0, TimeSpan.Zero), lifecycle.ProvisionalCutoffUtc(D("2025-11-07")));
        Assert.Equal(new DateTimeOffset(2025, 10, 6, 13, 0, 0, TimeSpan.Zero), lifecycle.ProvisionalCutoffUtc(D("2025-10-03")));
    }

    [Theory]
    [InlineData("scenario=Caution", true)]
    [InlineData("scenario=caution", true)]
    [InlineData("scenario!=Caution", false)]
    [InlineData("scenario=~Cau.*", true)]
    [InlineData("scenario=~Cau", false)]
    [InlineData("dataset=", true)]
    [InlineData("event!~Resolved|Confirmed", true)]
    [InlineData("level=Confirmed", false)]
    public void Matchers_follow_Alertmanager_semantics(string text, bool expected)
    {
        Assert.True(SilenceMatcher.TryParse(text, out var matcher, out var error), error);
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kind"] = "Scenario", ["scenario"] = "Caution", ["level"] = "Triggered", ["event"] = "Triggered" };
        Assert.Equal(expected, matcher!.Matches(labels));
    }

    [Theory]
    [InlineData("", "a matcher must be")]
    [InlineData("colour=red", "unknown label 'colour'")]
    [InlineData("scenario", "is not 'label=value'")]
    [InlineData("scenario=~(", "not a valid regular expression")]
    public void Bad_matchers_are_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(SilenceMatcher.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
