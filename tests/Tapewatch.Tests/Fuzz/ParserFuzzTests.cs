using System.Diagnostics;
using Tapewatch.TestSupport;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// Thousands of mutated inputs per parser (seeded, so every run feeds the same inputs): never an exception other than the
/// parser's own clean rejection, and never a number that is not in the input. A failure prints the seed, the iteration and
/// the input, to replay it.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Each target stops after this long even when its iterations are not done (the suite must stay fast in CI, where the
    /// test assemblies share two cores): the inputs are the same every run, a slow machine just feeds fewer of them.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    /// <summary>Fewer inputs than this within the budget fails the test (it would prove little).</summary>
    private const int MinimumInputs = 250;

    public static TheoryData<string> Targets => new(ParserFuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Parser_never_throws_unexpectedly_and_never_reads_a_number_that_is_not_in_the_input(string name)
    {
        var target = ParserFuzzTargets.All.Single(t => t.Name == name);
        var seeds = target.Seeds();
        Assert.NotEmpty(seeds);
        var seed = StableSeed(name);
        var mutator = new InputMutator(seed);
        var watch = Stopwatch.StartNew();
        var (ran, parsed, rejected) = (0, 0, 0);

        // The seeds themselves first: they must parse and yield numbers (otherwise the oracle proves nothing).
        foreach (var input in seeds)
        {
            var values = target.Parse(input).ToList();
            Assert.NotEmpty(values);
            AssertInInput(target, input, values, -1, seed);
        }

        for (var i = 0; i < target.Iterations && watch.Elapsed < Budget; i++, ran++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count]);
            List<decimal> values;
            try
            {
                values = target.Parse(input).ToList();
            }
            catch (Exception ex) when (target.Rejections.Contains(ex.GetType()))
            {
                rejected++;
                continue;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{name}: unhandled {ex.GetType().Name}: {ex.Message}\n(seed {seed}, iteration {i})\ninput: {Show(input)}\n{ex.StackTrace}");
                return;
            }

            if (values.Count > 0) parsed++;
            AssertInInput(target, input, values, i, seed);
        }

        output.WriteLine($"{name}: {ran} mutated inputs in {watch.ElapsedMilliseconds} ms ({parsed} yielded numbers, {rejected} rejected)");
        Assert.True(ran >= Math.Min(target.Iterations, MinimumInputs), $"{name}: only {ran} inputs within {Budget.TotalSeconds} s");
    }

    private static void AssertInInput(FuzzTarget target, string input, IReadOnlyList<decimal> values, int iteration, int seed)
    {
        if (values.Count == 0) return;
        var present = target.Oracle(input);
        foreach (var v in values)
        {
            if (!present.Contains(v))
            {
                Assert.Fail($"{target.Name}: read {v} which is not in the input (seed {seed}, iteration {iteration})\ninput: {Show(input)}");
            }
        }
    }

    /// <summary>A seed from the target's name (string.GetHashCode is randomised per process).</summary>
    private static int StableSeed(string name) => name.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    private static string Show(string input) => input.Length > 3000 ? input[..3000] + $"… ({input.Length} chars)" : input;
}
