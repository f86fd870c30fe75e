using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>A generated world with the rule options to evaluate it under.</summary>
internal sealed record WorldCase(RuleWorld World, RulesOptions Options)
{
    public static readonly Gen<WorldCase> Any =
        from world in RuleGenerators.World
        from options in RuleGenerators.Options
        select new WorldCase(world, options);

    public static readonly Gen<WorldCase> WithDefaultOptions = RuleGenerators.World.Select(w => new WorldCase(w, new RulesOptions()));

    public RegimeEngine Engine() => new(Options, RuleWorld.Calendar);

    /// <summary>The evaluation of each of the world's as-of sessions (missing sessions included: their triggers are unknown).</summary>
    public IEnumerable<(DateOnly AsOf, RegimeEvaluation Evaluation)> EvaluateEach()
    {
        var engine = Engine();
        var inputs = World.Inputs();
        return World.AsOfSessions.Select(d => (d, engine.Evaluate(inputs, d))).ToList();
    }

    public override string ToString() => $"options: {OptionsText(Options)}\n{World}";

    /// <summary>The options that differ from the defaults (or "defaults").</summary>
    public static string OptionsText(RulesOptions options)
    {
        var differences = new List<string>();
        Diff(JsonSerializer.SerializeToNode(new RulesOptions()), JsonSerializer.SerializeToNode(options), "", differences);
        return differences.Count == 0 ? "defaults" : string.Join(", ", differences);
    }

    private static void Diff(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        if (actual is JsonObject o)
        {
            foreach (var (key, value) in o) Diff(expected?[key], value, path.Length == 0 ? key : $"{path}.{key}", differences);
        }
        else if (actual?.ToJsonString() != expected?.ToJsonString())
        {
            differences.Add($"{path}={actual?.ToJsonString()}");
        }
    }
}

/// <summary>What the properties read from an evaluation.</summary>
internal static class EvaluationFacts
{
    public const string ResetId = "reset.completed-weeks";

    public static IEnumerable<ConditionResult> AllConditions(this RegimeEvaluation e) =>
        e.Scenarios.SelectMany(s => s.Conditions).Concat(e.Signals.SelectMany(s => s.Conditions)).Concat(e.RegimeConditions);

    public static ConditionResult ConditionNamed(this RegimeEvaluation e, string id) => e.AllConditions().First(c => c.Id == id);

    public static SignalResult SignalNamed(this RegimeEvaluation e, string id) => e.Signals.Single(s => s.Id == id);

    public static ConditionResult Trigger(this ScenarioResult s) => s.Conditions.Single(c => c.IsTrigger);

    public static IReadOnlyList<ConditionResult> RequiredConfirmations(this ScenarioResult s) => [.. s.Conditions.Where(c => !c.IsTrigger && !c.IsRiskFlag)];

    /// <summary>
    /// Every field of the evaluation, evidence included, as one string (equal fingerprints = equal evaluations). Written out
    /// by hand: serialising to JSON costs several times more, and the properties compare thousands of evaluations.
    /// </summary>
    public static string Fingerprint(this RegimeEvaluation e)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{e.AsOfSession}|{e.Provisional}|{e.Regime}|{e.Headline}|{e.SessionTotalUsdM}|{e.EvaluatedUtc:O}");
        foreach (var s in e.Scenarios)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{s.Scenario}|{s.Status}|{s.StreakLength}/{s.StreakTarget}|{s.StreakUnknown}|{s.EpisodeStart}|{s.Summary}");
            foreach (var c in s.Conditions) Append(text, c);
        }

        foreach (var s in e.Signals)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{s.Id}|{s.Text}|{s.Active}|{s.Observed}");
            foreach (var c in s.Conditions) Append(text, c);
        }

        foreach (var c in e.RegimeConditions) Append(text, c);
        foreach (var f in e.Freshness) text.Append(CultureInfo.InvariantCulture, $"\n{f.Dataset}|{f.LatestAsOf}|{f.LastUpdatedUtc:O}|{f.Stale}|{f.Note}");
        return text.ToString();
    }

    private static void Append(StringBuilder text, ConditionResult c) =>
        text.Append(CultureInfo.InvariantCulture, $"\n  {c.Id}|{c.Text}|{c.IsTrigger}|{c.IsRiskFlag}|{c.ObservedValue}|{c.Observed}|{c.Threshold}|{c.Met}|{c.AsOf}|{c.Dataset}|{c.Source}|{c.UnknownReason}");

    /// <summary>DESIGN §3: first match wins — Snapback (≥ Triggered) → Caution → Rebuild → Stabilizing → Reset → Neutral.</summary>
    public static Regime DocumentedRegime(ScenarioStatus rebuild, ScenarioStatus caution, ScenarioStatus snapback, bool? stabilizing, bool? reset)
    {
        if (snapback >= ScenarioStatus.Triggered) return Regime.Snapback;
        if (caution >= ScenarioStatus.Triggered) return Regime.Caution;
        if (rebuild >= ScenarioStatus.Triggered) return Regime.Rebuild;
        if (stabilizing == true) return Regime.Stabilizing;
        if (reset == true) return Regime.Reset;
        return Regime.Neutral;
    }

    /// <summary>docs/rules.md "Status": Idle → Building (streak ≥ 1, or a confirmation met) → Triggered (trigger met) → Confirmed (and every confirmation met).</summary>
    public static ScenarioStatus DocumentedStatus(bool? triggerMet, int streakLength, IEnumerable<bool?> requiredConfirmations)
    {
        var required = requiredConfirmations.ToList();
        if (triggerMet == true) return required.All(m => m == true) ? ScenarioStatus.Confirmed : ScenarioStatus.Triggered;
        return streakLength > 0 || required.Any(m => m == true) ? ScenarioStatus.Building : ScenarioStatus.Idle;
    }

    /// <summary>Fails with the session and what differed (xunit's Assert.Equal takes no message).</summary>
    public static void Expect(bool holds, string what)
    {
        if (!holds) Assert.Fail(what);
    }

    /// <summary>The same, formatting the message only when the expectation fails (the properties check millions of them).</summary>
    public static void Expect(bool holds, [InterpolatedStringHandlerArgument(nameof(holds))] ref FailureMessage what)
    {
        if (!holds) Assert.Fail(what.ToStringAndClear());
    }
}

/// <summary>An interpolated message that is built only when its expectation does not hold.</summary>
[InterpolatedStringHandler]
internal ref struct FailureMessage
{
    private DefaultInterpolatedStringHandler _text;

    public FailureMessage(int literalLength, int formattedCount, bool holds, out bool build)
    {
        build = !holds;
        _text = holds ? default : new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value)
    {
        if (value is DateOnly date) _text.AppendLiteral(RuleWorld.Iso(date)); // dates read as in the documents: yyyy-MM-dd
        else _text.AppendFormatted(value);
    }

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public string ToStringAndClear() => _text.ToStringAndClear();
}
