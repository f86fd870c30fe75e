using CsCheck;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Xunit.Abstractions;
using static Tapewatch.Tests.Rules.Properties.EvaluationFacts;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>The ETF-flow rules: streaks over the NYSE calendar, thresholds, weeks, provisional sessions, episodes.</summary>
public sealed class FlowRuleProperties(ITestOutputHelper output)
{
    /// <summary>
    /// The triggers (streak length, unknown, met), the Stabilizing conditions, Snapback's ledger flip and Reset agree with
    /// <see cref="FlowRulesModel"/>, an independent reading of DESIGN §3 — thresholds inclusive or strict as documented.
    /// </summary>
    [Fact]
    public void Flow_rules_agree_with_an_independent_model_of_the_documentation() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        var model = new FlowRulesModel(c.World, c.Options);
        foreach (var (asOf, e) in c.EvaluateEach())
        {
            var at = $"as of {RuleWorld.Iso(asOf)}";
            foreach (var (kind, run) in new[] { (ScenarioKind.Rebuild, model.RebuildTrigger(asOf)), (ScenarioKind.Caution, model.CautionTrigger(asOf)), (ScenarioKind.Snapback, model.SnapbackTrigger(asOf)) })
            {
                var s = e.Scenario(kind);
                var actual = new FlowRulesModel.Run(s.StreakLength, s.StreakUnknown, s.Trigger().Met);
                Expect(actual == run, $"{at}: {kind} trigger {actual}, the model says {run}");
            }

            Expect(e.ConditionNamed("stabilizing.session").Met == model.StabilizingSession(asOf), $"{at}: stabilizing.session {e.ConditionNamed("stabilizing.session").Met}, the model says {model.StabilizingSession(asOf)}");
            Expect(e.ConditionNamed("stabilizing.previous-week").Met == model.StabilizingPreviousWeek(asOf), $"{at}: stabilizing.previous-week {e.ConditionNamed("stabilizing.previous-week").Met}, the model says {model.StabilizingPreviousWeek(asOf)}");
            Expect(e.ConditionNamed("snapback.confirm.ledger-flip").Met == model.SnapbackLedgerFlip(asOf), $"{at}: ledger flip {e.ConditionNamed("snapback.confirm.ledger-flip").Met}, the model says {model.SnapbackLedgerFlip(asOf)}");
            Expect(e.ConditionNamed(ResetId).Met == model.Reset(asOf), $"{at}: Reset {e.ConditionNamed(ResetId).Met}, the model says {model.Reset(asOf)}");
        }
    }, c => c.ToString());

    /// <summary>
    /// Holidays and weekends neither break nor extend a streak: the same sequence of sessions (gaps included) laid on another
    /// stretch of the NYSE calendar gives the same triggers, streaks and episode starts, session by session.
    /// </summary>
    [Fact]
    public void Streaks_depend_on_the_sequence_of_sessions_not_on_holidays_or_weekends() => PropertyRun.Check(output,
        from world in RuleGenerators.FlowsOnlyWorld
        from anchor in Gen.OneOf(RuleGenerators.Anchors.Where(a => a != Tapewatch.Core.Rules.RuleInputs.EtfLaunch).ToArray())
        from back in Gen.Int[0, 20]
        from options in RuleGenerators.Options
        select (World: world, Elsewhere: RuleGenerators.ExpectedSessions(anchor, back, world.Slots.Count), Options: options),
        x =>
        {
            if (x.World.CoverageStart == Tapewatch.Core.Rules.RuleInputs.EtfLaunch) return; // at the launch nothing earlier is expected: not comparable
            var moved = x.World with { Slots = [.. x.World.Slots.Select((s, i) => s with { Date = x.Elsewhere[i] })] };
            var engine = new RegimeEngine(x.Options, RuleWorld.Calendar);
            var (here, there) = (x.World.Inputs(), moved.Inputs());
            for (var i = 0; i < x.World.Slots.Count; i++)
            {
                if (!x.World.IsAsOfSession(i)) continue;

                var (a, b) = (engine.Evaluate(here, x.World.Slots[i].Date), engine.Evaluate(there, moved.Slots[i].Date));
                foreach (var kind in Enum.GetValues<ScenarioKind>())
                {
                    var (sa, sb) = (a.Scenario(kind), b.Scenario(kind));
                    var startA = sa.EpisodeStart is { } ea ? x.World.Slots.ToList().FindIndex(s => s.Date == ea) : -1;
                    var startB = sb.EpisodeStart is { } eb ? moved.Slots.ToList().FindIndex(s => s.Date == eb) : -1;
                    Expect((sa.StreakLength, sa.StreakUnknown, sa.Trigger().Met, startA) == (sb.StreakLength, sb.StreakUnknown, sb.Trigger().Met, startB),
                        $"session #{i} ({RuleWorld.Iso(x.World.Slots[i].Date)} vs {RuleWorld.Iso(moved.Slots[i].Date)}): {kind} streak {sa.StreakLength}{(sa.StreakUnknown ? "+?" : "")} met {sa.Trigger().Met} start #{startA} vs streak {sb.StreakLength}{(sb.StreakUnknown ? "+?" : "")} met {sb.Trigger().Met} start #{startB}");
                }
            }
        },
        x => $"moved to {RuleWorld.Iso(x.Elsewhere[0])}…{RuleWorld.Iso(x.Elsewhere[^1])}; options: {WorldCase.OptionsText(x.Options)}\n{x.World}", cases: PropertyRun.PairedCases);

    /// <summary>
    /// Looser thresholds keep every trigger and may add some: a lower Rebuild or Snapback minimum, a higher Caution maximum,
    /// shorter streaks, a higher Reset maximum. On the same data, a session triggered (or Reset) under the strict options is
    /// triggered (Reset) under the loose ones, and a streak under a looser threshold is at least as long.
    /// </summary>
    [Fact]
    public void Looser_thresholds_keep_every_trigger_and_may_add_some() => PropertyRun.Check(output, Loosenings, x =>
    {
        var (strict, loose) = (new RegimeEngine(x.Strict, RuleWorld.Calendar), new RegimeEngine(x.Loose, RuleWorld.Calendar));
        var inputs = x.World.Inputs();
        foreach (var asOf in x.World.AsOfSessions)
        {
            var (a, b) = (strict.Evaluate(inputs, asOf), loose.Evaluate(inputs, asOf));
            foreach (var kind in Enum.GetValues<ScenarioKind>())
            {
                var (sa, sb) = (a.Scenario(kind), b.Scenario(kind));
                var at = $"as of {RuleWorld.Iso(asOf)}: {kind}";
                if (sa.Trigger().Met == true) Expect(sb.Trigger().Met == true, $"{at} triggered under the strict options, {sb.Trigger().Met?.ToString() ?? "unknown"} under the loose ones");
                if (sa.Status >= ScenarioStatus.Triggered) Expect(sb.Status >= ScenarioStatus.Triggered, $"{at} {sa.Status} under the strict options, {sb.Status} under the loose ones");
                if (sa.StreakTarget == sb.StreakTarget) Expect(sb.StreakLength >= sa.StreakLength, $"{at} streak {sa.StreakLength} under the strict threshold, {sb.StreakLength} under the loose one");
            }

            if (a.ConditionNamed(ResetId).Met == true) Expect(b.ConditionNamed(ResetId).Met == true, $"as of {RuleWorld.Iso(asOf)}: Reset under the strict threshold, not under the loose one");
        }
    }, x => x.ToString(), cases: PropertyRun.PairedCases);

    /// <summary>
    /// <c>TreatProvisionalAsUnknown = true</c> is exactly "the provisional sessions are missing" (scenarios, signals, Reset,
    /// regime and headline); with <c>false</c>, an evaluation is marked provisional only when a provisional session is among its sessions.
    /// </summary>
    [Fact]
    public void Provisional_as_unknown_is_the_same_as_provisional_sessions_missing() => PropertyRun.Check(output, RuleGenerators.World, world =>
    {
        var asUnknown = new RegimeEngine(new RulesOptions { TreatProvisionalAsUnknown = true }, RuleWorld.Calendar);
        var counted = new RegimeEngine(new RulesOptions(), RuleWorld.Calendar);
        var (inputs, withoutProvisional) = (world.Inputs(), world.WithoutProvisionalSessions().Inputs());
        foreach (var asOf in world.AsOfSessions)
        {
            var a = asUnknown.Evaluate(inputs, asOf);
            var b = world.Slots.Any(s => s.Provisional && s.Date <= asOf) ? asUnknown.Evaluate(withoutProvisional, asOf) : a; // nothing to remove up to the as-of session
            Expect(Decisions(a) == Decisions(b), $"as of {RuleWorld.Iso(asOf)}: provisional-as-unknown differs from removing the provisional sessions\n{Decisions(a)}\n--- vs ---\n{Decisions(b)}");
            Expect(!a.Provisional, $"as of {RuleWorld.Iso(asOf)}: marked provisional although provisional sessions count as missing");
            var c = counted.Evaluate(inputs, asOf);
            if (c.Provisional) Expect(world.Slots.Any(s => s.Provisional && s.Date <= asOf), $"as of {RuleWorld.Iso(asOf)}: marked provisional without a provisional session");
            if (world.Slots.FirstOrDefault(s => s.Date == asOf) is { Provisional: true }) Expect(c.Provisional, $"as of {RuleWorld.Iso(asOf)}: the as-of session is provisional, the evaluation is not marked so");
        }
    }, w => w.ToString(), cases: PropertyRun.PairedCases);

    /// <summary>
    /// The backtest's episodes (consecutive sessions at Triggered or above) start where the engine's <c>episodeStart</c>
    /// says, on every session of the episode.
    /// </summary>
    [Fact]
    public void Backtest_episodes_start_where_the_engine_says_they_start() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        var engine = c.Engine();
        var inputs = c.World.Inputs();
        var result = Backtest.Run(engine, inputs);
        foreach (var episode in result.Episodes)
        {
            foreach (var session in result.Sessions.Where(s => s.Date >= episode.Start && s.Date <= episode.End))
            {
                var start = engine.Evaluate(inputs, session.Date).Scenario(episode.Scenario).EpisodeStart;
                Expect(start == episode.Start, $"{episode.Scenario} episode {RuleWorld.Iso(episode.Start)}…{RuleWorld.Iso(episode.End)}: as of {RuleWorld.Iso(session.Date)} the engine says it started {start}");
            }
        }
    }, c => c.ToString(), cases: PropertyRun.PairedCases);

    /// <summary>The fingerprint without the ETF-flows freshness line (which names the latest stored session, provisional or not).</summary>
    private static string Decisions(RegimeEvaluation e) => (e with { Freshness = [.. e.Freshness.Where(f => f.Dataset != Datasets.EtfFlows)] }).Fingerprint();

    internal sealed record Loosening(RuleWorld World, RulesOptions Strict, RulesOptions Loose, string What)
    {
        public override string ToString() => $"{What}: strict {WorldCase.OptionsText(Strict)}; loose {WorldCase.OptionsText(Loose)}\n{World}";
    }

    /// <summary>One option loosened by a small or a large step (0.1 — across a threshold value — to 500).</summary>
    private static readonly Gen<Loosening> Loosenings =
        from world in RuleGenerators.World
        from which in Gen.Int[0, 6]
        from step in Gen.OneOf(0.1m, 50m, 200m, 500m)
        from streak in Gen.Int[2, 6]
        from provisional in Gen.Bool
        select Loosen(world, which, step, streak, provisional);

    private static Loosening Loosen(RuleWorld world, int which, decimal step, int streak, bool provisional)
    {
        RulesOptions Options(Action<RulesOptions> set)
        {
            var o = new RulesOptions { TreatProvisionalAsUnknown = provisional };
            set(o);
            return o;
        }

        return which switch
        {
            0 => new(world, Options(_ => { }), Options(o => o.Rebuild.MinDailyFlowUsdM = Math.Max(0, 200m - step)), "Rebuild minimum lowered"),
            1 => new(world, Options(o => o.Rebuild.StreakSessions = streak), Options(o => o.Rebuild.StreakSessions = streak - 1), "Rebuild streak shortened"),
            2 => new(world, Options(o => o.Caution.MaxDailyFlowUsdM = -step), Options(_ => { }), "Caution maximum raised to 0"),
            3 => new(world, Options(o => o.Caution.StreakSessions = streak), Options(o => o.Caution.StreakSessions = streak - 1), "Caution streak shortened"),
            4 => new(world, Options(_ => { }), Options(o => o.Snapback.MinDailyFlowUsdM = Math.Max(0, 750m - step)), "Snapback minimum lowered"),
            5 => new(world, Options(o => o.Reset.MaxWeekUsdM = -1000m - step), Options(_ => { }), "Reset maximum raised"),
            _ => new(world, Options(_ => { }), Options(o => o.Reset.MaxWeekUsdM = Math.Min(0, -1000m + step)), "Reset maximum raised"),
        };
    }
}
