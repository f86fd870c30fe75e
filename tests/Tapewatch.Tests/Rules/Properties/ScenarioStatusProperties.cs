using CsCheck;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Xunit.Abstractions;
using static Tapewatch.Tests.Rules.Properties.EvaluationFacts;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>Status and regime: Idle &lt; Building &lt; Triggered &lt; Confirmed follow the conditions; the regime is the first match in the documented order.</summary>
public sealed class ScenarioStatusProperties(ITestOutputHelper output)
{
    [Fact]
    public void Each_status_is_the_documented_function_of_its_conditions() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        foreach (var (asOf, e) in c.EvaluateEach())
        {
            foreach (var s in e.Scenarios)
            {
                var at = $"{s.Scenario} as of {RuleWorld.Iso(asOf)}";
                var trigger = s.Trigger();
                var required = s.RequiredConfirmations();
                Expect(s.Status == DocumentedStatus(trigger.Met, s.StreakLength, required.Select(r => r.Met)),
                    $"{at}: status {s.Status}, but the trigger is {trigger.Met?.ToString() ?? "unknown"} (streak {s.StreakLength}) and the confirmations are [{string.Join(", ", required.Select(r => $"{r.Id}={r.Met?.ToString() ?? "unknown"}"))}]");
                Expect(s.Status < ScenarioStatus.Confirmed || required.All(r => r.Met == true), $"{at}: Confirmed with a confirmation not met or unknown");
                Expect(s.Status < ScenarioStatus.Triggered || trigger.Met == true, $"{at}: {s.Status} without its trigger met");
                Expect((s.EpisodeStart is not null) == (s.Status >= ScenarioStatus.Triggered), $"{at}: episode start {s.EpisodeStart} with status {s.Status}");
                Expect(s.EpisodeStart is null || s.EpisodeStart <= asOf, $"{at}: the episode starts after the as-of session ({s.EpisodeStart})");
                Expect((trigger.Met == true) == (s.StreakLength >= s.StreakTarget), $"{at}: trigger {trigger.Met} with streak {s.StreakLength} of {s.StreakTarget}");
                Expect(s.StreakUnknown == (trigger.Met is null), $"{at}: streak unknown {s.StreakUnknown} but trigger {trigger.Met?.ToString() ?? "unknown"}");
            }
        }
    }, c => c.ToString());

    /// <summary>
    /// The status is monotone in the conditions: a confirmation that becomes met, or a streak that grows by a session,
    /// never lowers it; a met confirmation that becomes unknown or not met never raises it; risk flags never count.
    /// </summary>
    [Fact]
    public void Status_is_monotone_in_the_trigger_and_the_confirmations() => PropertyRun.Check(output, StatusInputs, c =>
    {
        var status = RegimeEngine.DecideStatus(c.Trigger(), c.Confirmations());
        Expect(status == DocumentedStatus(c.TriggerMet, c.Length, c.Confirmed.Where(x => !x.RiskFlag).Select(x => x.Met)), $"status {status}");
        if (c.Confirmed.Any(x => !x.RiskFlag && x.Met is null)) Expect(status != ScenarioStatus.Confirmed, "Confirmed with an unknown confirmation");
        if (c.TriggerMet is null) Expect(status < ScenarioStatus.Triggered, $"{status} with an unknown trigger");

        var longer = RegimeEngine.DecideStatus((c with { Length = c.Length + 1 }).Trigger(), c.Confirmations());
        Expect(longer >= status, $"one more session in the streak lowered {status} to {longer}");
        for (var i = 0; i < c.Confirmed.Length; i++)
        {
            foreach (bool? met in new bool?[] { true, false, null })
            {
                var changed = c.Confirmed.ToArray();
                changed[i] = changed[i] with { Met = met };
                var after = RegimeEngine.DecideStatus(c.Trigger(), (c with { Confirmed = changed }).Confirmations());
                if (c.Confirmed[i].RiskFlag) Expect(after == status, $"risk flag {i} changed {status} to {after}");
                else if (met == true) Expect(after >= status, $"confirmation {i} becoming met lowered {status} to {after}");
                else if (c.Confirmed[i].Met == true) Expect(after <= status, $"confirmation {i} becoming {met?.ToString() ?? "unknown"} raised {status} to {after}");
            }
        }
    }, c => c.ToString(), cases: 1000);

    [Fact]
    public void The_regime_is_the_first_match_in_the_documented_order() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        foreach (var (asOf, e) in c.EvaluateEach())
        {
            var stabilizing = e.SignalNamed("stabilizing").Active;
            var reset = e.ConditionNamed(ResetId).Met;
            var expected = DocumentedRegime(e.Scenario(ScenarioKind.Rebuild).Status, e.Scenario(ScenarioKind.Caution).Status, e.Scenario(ScenarioKind.Snapback).Status, stabilizing, reset);
            Expect(e.Regime == expected, $"as of {RuleWorld.Iso(asOf)}: regime {e.Regime}, documented order gives {expected}");
        }
    }, c => c.ToString());

    /// <summary>The same on every combination of statuses, signal and Reset; an unknown Stabilizing or Reset decides exactly what "not met" decides.</summary>
    [Fact]
    public void Unknown_signals_and_reset_never_set_the_regime() => PropertyRun.Check(output, RegimeInputs, c =>
    {
        var (rebuild, caution, snapback, stabilizing, reset) = c;
        var regime = Decide(rebuild, caution, snapback, stabilizing, reset);
        Expect(regime == DocumentedRegime(rebuild, caution, snapback, stabilizing, reset), $"regime {regime}");
        if (stabilizing is null) Expect(regime == Decide(rebuild, caution, snapback, false, reset), "an unknown Stabilizing decided the regime");
        if (reset is null) Expect(regime == Decide(rebuild, caution, snapback, stabilizing, false), "an unknown Reset decided the regime");
    }, c => c.ToString(), cases: 500);

    private static Regime Decide(ScenarioStatus rebuild, ScenarioStatus caution, ScenarioStatus snapback, bool? stabilizing, bool? reset) =>
        RegimeEngine.DecideRegime(
            Scenario(ScenarioKind.Rebuild, rebuild),
            Scenario(ScenarioKind.Caution, caution),
            Scenario(ScenarioKind.Snapback, snapback),
            new SignalResult { Id = "stabilizing", Text = "stabilizing", Active = stabilizing },
            Condition(ResetId, reset));

    private static ScenarioResult Scenario(ScenarioKind kind, ScenarioStatus status) =>
        new() { Scenario = kind, Status = status, StreakLength = 0, StreakTarget = 1, Conditions = [] };

    private static ConditionResult Condition(string id, bool? met, bool riskFlag = false, bool trigger = false) =>
        new() { Id = id, Text = id, Threshold = "-", Met = met, IsRiskFlag = riskFlag, IsTrigger = trigger, UnknownReason = met is null ? "generated" : null };

    private static readonly Gen<ScenarioStatus> AnyStatus = Gen.Enum<ScenarioStatus>();

    private static readonly Gen<(ScenarioStatus, ScenarioStatus, ScenarioStatus, bool?, bool?)> RegimeInputs =
        from rebuild in AnyStatus
        from caution in AnyStatus
        from snapback in AnyStatus
        from stabilizing in Gen.OneOf<bool?>(null, true, false)
        from reset in Gen.OneOf<bool?>(null, true, false)
        select (rebuild, caution, snapback, stabilizing, reset);

    internal sealed record ConfirmationDrawn(bool? Met, bool RiskFlag);

    /// <summary>A trigger (a run of <see cref="Length"/> of <see cref="Target"/>, cut by a gap or not) and some confirmations and risk flags.</summary>
    internal sealed record StatusCase(int Length, int Target, bool Gap, ConfirmationDrawn[] Confirmed)
    {
        public bool? TriggerMet => Length >= Target ? true : Gap ? null : false;

        public TriggerEvaluation Trigger() => new(Condition("trigger", TriggerMet, trigger: true), Length, Target, Gap && Length < Target, null);

        public IReadOnlyList<ConditionResult> Confirmations() => [.. Confirmed.Select((x, i) => Condition($"confirmation-{i}", x.Met, x.RiskFlag))];

        public override string ToString() =>
            $"trigger {TriggerMet?.ToString() ?? "unknown"} (streak {Length} of {Target}{(Gap ? ", cut by a gap" : "")}); confirmations [{string.Join(", ", Confirmed.Select(x => (x.RiskFlag ? "risk " : "") + (x.Met?.ToString() ?? "unknown")))}]";
    }

    private static readonly Gen<StatusCase> StatusInputs =
        from target in Gen.Int[1, 4]
        from length in Gen.Int[0, 5]
        from gap in Gen.Bool
        from confirmations in (from met in Gen.OneOf<bool?>(true, false, null) from risk in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))) select new ConfirmationDrawn(met, risk)).Array[0, 5]
        select new StatusCase(length, target, gap, confirmations);
}
