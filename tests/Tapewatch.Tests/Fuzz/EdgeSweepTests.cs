using Tapewatch.TestSupport;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// The edge sweep: each numeric field of each seed (each JSON number or numeric string at its path, each CSV or HTML
/// table cell, each prose amount) replaced in turn by each of <see cref="InputMutator.EdgeNumbers"/> (0, 1e-28, 7.9e28,
/// negatives, NaN, …), and each date by the first and last day of the calendar: the same properties as
/// <see cref="ParserFuzzTests"/>. Deterministic. Its own class, so that xunit runs it beside the mutations.
/// </summary>
public sealed class EdgeSweepTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets => ParserFuzzTests.Targets;

    /// <summary>How many inputs the sweep feeds in all (the figure in docs/reliability.md, "Bad input"); it changes with a seed or a target.</summary>
    [Fact]
    public void The_sweep_feeds_a_known_number_of_inputs()
    {
        var inputs = ParserFuzzTargets.All.Sum(t => t.Seeds().Sum(seed => FieldsToSweep(t, seed).Sum(f => f.Edges.Count)));
        Assert.Equal(16_962, inputs);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Edge_values_in_each_numeric_field_are_rejected_cleanly_or_read_from_the_right_fields(string name)
    {
        var target = ParserFuzzTargets.Named(name);
        var seeds = target.Seeds();
        Assert.NotEmpty(seeds);
        var total = 0;
        foreach (var seed in seeds)
        {
            var fields = FieldsToSweep(target, seed);
            Assert.True(fields.Count > 0, $"{name}: no numeric field found in seed {seed}");
            var ran = 0;
            foreach (var (field, edge, input) in NumericFields.Sweep(seed.Text, fields))
            {
                ran++;
                if (FuzzHarness.Run(target, input).Failure is { } failure)
                {
                    Assert.Fail($"{name}: {failure}\nseed {seed}, field {field} set to \"{edge}\"\ninput: {FuzzHarness.Show(input)}");
                }
            }

            Assert.Equal(fields.Sum(f => f.Edges.Count), ran);
            total += ran;
        }

        output.WriteLine($"{name}: {total} edge inputs over {seeds.Count} seed(s)");
    }

    /// <summary>The seed's numeric fields and dates, sampled per shape as the target says.</summary>
    private static IReadOnlyList<NumericField> FieldsToSweep(FuzzTarget target, SeedInput seed) =>
        NumericFields.Sample(FuzzHarness.FieldsOf(target.Shape, seed.Text).Where(f => target.SweepShapes?.Contains(f.Shape) ?? true).ToList(), target.SweepPerShape, target.MaxSweepShapes);
}
