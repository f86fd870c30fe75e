using CsCheck;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>
/// The generators are only as good as what they reach: every status of every scenario, every regime and every condition
/// met, not met and unknown must show up in the fixed-seed worlds — otherwise a property could pass by never meeting the
/// case it is about. The tally is printed (test output).
/// </summary>
public sealed class GeneratorCoverageTests(ITestOutputHelper output)
{
    [Fact]
    public void The_generated_worlds_reach_every_status_regime_and_condition_outcome()
    {
        var pcg = new PCG(0, PropertyRun.FixedSeed);
        var tally = new Dictionary<string, int>();
        var evaluations = 0;
        for (var i = 0; i < 150; i++)
        {
            foreach (var (_, e) in WorldCase.Any.Generate(pcg, null, out _).EvaluateEach())
            {
                evaluations++;
                foreach (var s in e.Scenarios) Count(tally, $"{s.Scenario} {s.Status}");
                Count(tally, $"regime {e.Regime}");
                foreach (var c in e.AllConditions()) Count(tally, $"{c.Id} {c.Met?.ToString() ?? "unknown"}");
            }
        }

        output.WriteLine($"{evaluations} evaluations");
        foreach (var (outcome, count) in tally.OrderBy(t => t.Key, StringComparer.Ordinal)) output.WriteLine($"{outcome}: {count}");

        var expected = Enum.GetValues<ScenarioKind>().SelectMany(k => Enum.GetValues<ScenarioStatus>().Select(s => $"{k} {s}"))
            .Concat(Enum.GetValues<Regime>().Select(r => $"regime {r}"))
            .Concat(tally.Keys.Where(k => k.Contains('.', StringComparison.Ordinal)).Select(k => k[..k.LastIndexOf(' ')]).Distinct()
                .SelectMany(id => new[] { $"{id} True", $"{id} False", $"{id} unknown" }));
        var missing = expected.Where(outcome => !tally.ContainsKey(outcome)).ToList();
        Assert.True(missing.Count == 0, $"never reached: {string.Join(", ", missing)}");
    }

    private static void Count(Dictionary<string, int> tally, string outcome) => tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
}
