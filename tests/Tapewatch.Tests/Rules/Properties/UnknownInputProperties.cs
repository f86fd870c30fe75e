using CsCheck;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Xunit.Abstractions;
using static Tapewatch.Tests.Rules.Properties.EvaluationFacts;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>
/// "Unknown" (a missing session, a stale or absent derivatives reading or field, no CoinShares week published in time) is
/// never true or false, never confirms, never triggers and never sets the regime; removing an input can only make
/// conditions unknown.
/// </summary>
public sealed class UnknownInputProperties(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Func<DerivativesDaily, decimal?>> DerivativesFieldOf = new()
    {
        ["rebuild.confirm.basis"] = r => r.Basis3mAnnualizedPct,
        ["caution.confirm.basis"] = r => r.Basis3mAnnualizedPct,
        ["snapback.confirm.basis"] = r => r.Basis3mAnnualizedPct,
        ["deleveraging.basis"] = r => r.Basis3mAnnualizedPct,
        ["rebuild.confirm.funding"] = r => r.FundingAnnualizedPct,
        ["snapback.risk.funding"] = r => r.FundingAnnualizedPct,
        ["rebuild.confirm.oi-offshore"] = r => r.OffshoreOpenInterestChange5SessionsPct,
        ["caution.confirm.oi-offshore"] = r => r.OffshoreOpenInterestChange5SessionsPct,
        ["deleveraging.oi-falling"] = r => r.OffshoreOpenInterestChange5SessionsPct,
        ["rebuild.confirm.oi-cme"] = r => r.CmeOpenInterestChangeBtc,
    };

    [Fact]
    public void Unknown_inputs_never_decide_a_condition_a_status_or_the_regime() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        var model = new FlowRulesModel(c.World, c.Options);
        foreach (var (asOf, e) in c.EvaluateEach())
        {
            var at = $"as of {RuleWorld.Iso(asOf)}";
            foreach (var condition in e.AllConditions())
            {
                Expect((condition.Met is null) == !string.IsNullOrEmpty(condition.UnknownReason),
                    $"{at}: {condition.Id} is {condition.Met?.ToString() ?? "unknown"} with unknown reason '{condition.UnknownReason}'");
            }

            if (model.Total(asOf) is null)
            {
                foreach (var s in e.Scenarios) Expect(s.Trigger().Met is null, $"{at}: the session is missing, yet the {s.Scenario} trigger is {s.Trigger().Met}");
                Expect(e.ConditionNamed("stabilizing.session").Met is null, $"{at}: the session is missing, yet stabilizing.session is decided");
            }

            var reading = UsableReading(c, asOf);
            foreach (var (id, field) in DerivativesFieldOf)
            {
                if (reading is null || field(reading) is null) Expect(e.ConditionNamed(id).Met is null, $"{at}: {id} is {e.ConditionNamed(id).Met} without a usable reading of its field");
            }

            if (UsableWeek(c, asOf) is null)
            {
                Expect(e.ConditionNamed("caution.confirm.coinshares").Met is null, $"{at}: the CoinShares condition is decided without a week published in time");
                Expect(e.ConditionNamed("etf-led.ratio").Met is null, $"{at}: ETF-led is decided without a CoinShares week published in time");
            }

            foreach (var s in e.Scenarios)
            {
                if (s.RequiredConfirmations().Any(r => r.Met is null)) Expect(s.Status != ScenarioStatus.Confirmed, $"{at}: {s.Scenario} Confirmed with an unknown confirmation");
                if (s.Trigger().Met is null) Expect(s.Status < ScenarioStatus.Triggered, $"{at}: {s.Scenario} {s.Status} with an unknown trigger");
            }

            if (e.Regime == Regime.Stabilizing) Expect(e.SignalNamed("stabilizing").Active == true, $"{at}: regime Stabilizing from a signal that is {e.SignalNamed("stabilizing").Active}");
            if (e.Regime == Regime.Reset) Expect(e.ConditionNamed(ResetId).Met == true, $"{at}: regime Reset from a condition that is {e.ConditionNamed(ResetId).Met}");
        }
    }, c => c.ToString());

    /// <summary>
    /// Metamorphic: removing a session, or one field of one derivatives reading, leaves every condition as it was or makes
    /// it unknown — never true↔false — and never raises a scenario's status.
    /// </summary>
    [Fact]
    public void Removing_a_session_or_a_reading_field_only_turns_conditions_unknown() => PropertyRun.Check(output, Removals, r =>
    {
        var (before, after) = (r.Case, r.Case with { World = r.Apply() });
        var engine = before.Engine();
        var (inputsBefore, inputsAfter) = (before.World.Inputs(), after.World.Inputs());
        foreach (var asOf in before.World.AsOfSessions)
        {
            var (was, now) = (engine.Evaluate(inputsBefore, asOf), engine.Evaluate(inputsAfter, asOf));
            var nowById = now.AllConditions().ToDictionary(c => c.Id);
            foreach (var condition in was.AllConditions())
            {
                var changed = nowById[condition.Id];
                Expect(changed.Met is null || changed.Met == condition.Met,
                    $"as of {RuleWorld.Iso(asOf)}: {condition.Id} went from {condition.Met?.ToString() ?? "unknown"} to {changed.Met} after {r.Describe()}");
            }

            foreach (var s in was.Scenarios)
            {
                Expect(now.Scenario(s.Scenario).Status <= s.Status, $"as of {RuleWorld.Iso(asOf)}: {s.Scenario} rose from {s.Status} to {now.Scenario(s.Scenario).Status} after {r.Describe()}");
            }
        }
    }, r => r.ToString(), cases: PropertyRun.PairedCases);

    /// <summary>
    /// Removing a CoinShares week: the weekly conditions become unknown or fall back to an older week that was published in
    /// time (the freshness limit decides which); nothing else changes.
    /// </summary>
    [Fact]
    public void Removing_a_coinshares_week_only_turns_weekly_conditions_unknown_or_older() => PropertyRun.Check(output,
        from c in WorldCase.Any from pick in Gen.Int[0, 1000] select (Case: c, Pick: pick),
        x =>
        {
            if (x.Case.World.Weeks.Count == 0) return;
            var removed = x.Case.World.Weeks[x.Pick % x.Case.World.Weeks.Count].WeekEnding;
            var engine = x.Case.Engine();
            var (inputsBefore, inputsAfter) = (x.Case.World.Inputs(), x.Case.World.WithoutWeek(removed).Inputs());
            string[] weekly = ["caution.confirm.coinshares", "etf-led.ratio"];
            foreach (var asOf in x.Case.World.AsOfSessions)
            {
                var (was, now) = (engine.Evaluate(inputsBefore, asOf), engine.Evaluate(inputsAfter, asOf));
                var nowById = now.AllConditions().ToDictionary(c => c.Id);
                foreach (var condition in was.AllConditions())
                {
                    var changed = nowById[condition.Id];
                    var at = $"as of {RuleWorld.Iso(asOf)}, without the week to {RuleWorld.Iso(removed)}: {condition.Id}";
                    if (!weekly.Contains(condition.Id)) Expect(changed.Met == condition.Met, $"{at} changed from {condition.Met} to {changed.Met}");
                    else if (condition.AsOf != removed) Expect(changed.Met == condition.Met && changed.AsOf == condition.AsOf, $"{at} did not use that week, yet changed");
                    else Expect(changed.Met is null || changed.AsOf < removed, $"{at} is {changed.Met} as of {changed.AsOf}: neither unknown nor an older week");
                }
            }
        },
        x => $"remove week #{x.Pick}\n{x.Case}", cases: PropertyRun.PairedCases);

    /// <summary>
    /// Stale ETF flows (the session after the as-of one still missing <c>EtfFlowsGraceHours</c> after its close): the triggers,
    /// the Stabilizing session and Snapback's ledger flip are unknown, no scenario is Triggered and the regime is no
    /// scenario. Before the grace period ends, or with the next session in, the wall clock changes nothing.
    /// </summary>
    [Fact]
    public void Overdue_etf_flows_make_the_flow_triggers_unknown_and_nothing_else_changes_before() => PropertyRun.Check(output,
        from c in WorldCase.Any
        from pick in Gen.Int[0, 1000]
        from minutes in Gen.Frequency((3, Gen.Int[-90, 90]), (1, Gen.Int[-3 * 24 * 60, 10 * 24 * 60]))
        select (Case: c, Pick: pick, Minutes: minutes),
        x =>
        {
            // Mostly a session whose next one is not stored (the last, or one before a gap): the case where staleness can bite.
            var stored = x.Case.World.PresentSessions.ToHashSet();
            var beforeAGap = x.Case.World.ExpectedSessions.Where(d => !stored.Contains(RuleWorld.Calendar.NextSession(d))).ToList();
            var candidates = x.Pick % 4 == 0 ? x.Case.World.ExpectedSessions.ToList() : beforeAGap;
            var asOf = candidates[x.Pick / 4 % candidates.Count];
            var next = RuleWorld.Calendar.NextSession(asOf);
            var due = Tapewatch.Core.Time.NewYorkTime.CloseUtc(next).AddHours(x.Case.Options.Freshness.EtfFlowsGraceHours);
            var now = due.AddMinutes(x.Minutes);
            var engine = x.Case.Engine();
            var inputs = x.Case.World.Inputs();
            var (withClock, pointInTime) = (engine.Evaluate(inputs, asOf, now), engine.Evaluate(inputs, asOf));
            var at = $"as of {RuleWorld.Iso(asOf)} at {now:u} (next session {RuleWorld.Iso(next)} due {due:u})";
            if (now < due || inputs.Session(next) is not null)
            {
                Expect(withClock.Fingerprint() == pointInTime.Fingerprint(), $"{at}: not overdue, yet the wall clock changed the evaluation");
                return;
            }

            foreach (var s in withClock.Scenarios)
            {
                Expect(s.Trigger().Met is null, $"{at}: ETF flows are stale, yet the {s.Scenario} trigger is {s.Trigger().Met}");
                Expect(s.Status < ScenarioStatus.Triggered, $"{at}: ETF flows are stale, yet {s.Scenario} is {s.Status}");
            }

            foreach (var id in new[] { "stabilizing.session", "snapback.confirm.ledger-flip" })
            {
                Expect(withClock.ConditionNamed(id).Met is null, $"{at}: ETF flows are stale, yet {id} is {withClock.ConditionNamed(id).Met}");
            }

            Expect(withClock.Regime is not (Regime.Snapback or Regime.Caution or Regime.Rebuild or Regime.Stabilizing), $"{at}: ETF flows are stale, yet the regime is {withClock.Regime}");
            Expect(withClock.Freshness.Single(f => f.Dataset == Datasets.EtfFlows).Stale, $"{at}: ETF flows are stale, the freshness does not say so");
        },
        x => $"as-of slot #{x.Pick}, {x.Minutes} min after the next session is due\n{x.Case}");

    /// <summary>The reading the engine may use as of <paramref name="asOf"/>: the latest on or before it, at most DerivativesMaxAgeSessions sessions older.</summary>
    private static DerivativesDaily? UsableReading(WorldCase c, DateOnly asOf)
    {
        var latest = c.World.Readings.Where(r => r.Session <= asOf).MaxBy(r => r.Session);
        if (latest is null) return null;
        var age = RuleWorld.Calendar.Sessions(latest.Session.AddDays(1), asOf).Count();
        return age <= c.Options.Freshness.DerivativesMaxAgeSessions ? latest : null;
    }

    /// <summary>The CoinShares week usable as of <paramref name="asOf"/>: the latest ended before and published by it, within the age limit.</summary>
    internal static WeeklyFundFlow? UsableWeek(WorldCase c, DateOnly asOf)
    {
        var latest = c.World.Weeks.Where(w => w.WeekEnding < asOf && RuleWorld.UsableFrom(w) <= asOf).MaxBy(w => w.WeekEnding);
        return latest is not null && asOf.DayNumber - latest.WeekEnding.DayNumber <= c.Options.Freshness.WeeklyFlowsMaxAgeDays ? latest : null;
    }

    internal sealed record Removal(WorldCase Case, int Kind, int Pick)
    {
        private static readonly string[] Fields = ["basis", "funding", "offshore OI change", "CME OI change"];

        /// <summary>Kinds 0–3 remove a session, 4–7 one field of a reading (basis, funding, offshore OI, CME OI).</summary>
        private bool RemovesSession => Kind < 4 || Case.World.Readings.Count == 0;

        public RuleWorld Apply()
        {
            var world = Case.World;
            if (RemovesSession)
            {
                var present = world.PresentSessions.ToList();
                return present.Count == 0 ? world : world.WithoutSession(present[Pick % present.Count]);
            }

            var reading = world.Readings[Pick % world.Readings.Count].Session;
            return world.WithReading(reading, r => Kind switch
            {
                4 => r with { Basis3mAnnualizedPct = null },
                5 => r with { FundingAnnualizedPct = null },
                6 => r with { OffshoreOpenInterestChange5SessionsPct = null },
                _ => r with { CmeOpenInterestChangeBtc = null, CmeReportDate = null },
            });
        }

        public string Describe()
        {
            var world = Case.World;
            if (RemovesSession)
            {
                var present = world.PresentSessions.ToList();
                return present.Count == 0 ? "removing nothing" : $"removing the session {RuleWorld.Iso(present[Pick % present.Count])}";
            }

            return $"removing the {Fields[Kind - 4]} of the reading of {RuleWorld.Iso(world.Readings[Pick % world.Readings.Count].Session)}";
        }

        public override string ToString() => $"{Describe()}\n{Case}";
    }

    private static readonly Gen<Removal> Removals =
        from c in WorldCase.Any
        from kind in Gen.Int[0, 7]
        from pick in Gen.Int[0, 1000]
        select new Removal(c, kind, pick);
}
