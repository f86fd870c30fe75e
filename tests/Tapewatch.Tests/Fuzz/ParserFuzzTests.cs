using System.Diagnostics;
using Tapewatch.TestSupport;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// Every parser of outside input (<see cref="ParserFuzzTargets.All"/>) against the same two properties: an input is
/// either rejected cleanly (the parser's own exception type or error result) or every value returned equals the field
/// it must come from (the target's mapping, checked by an oracle that reads the input independently). Inputs: the
/// seeds themselves, a fixed number of seeded mutations of them, the edge sweep (each numeric field of each seed
/// replaced in turn by each of <see cref="InputMutator.EdgeNumbers"/>) and the regression corpus (Fuzz/Corpus). All
/// deterministic; with <c>FUZZ_SECONDS</c> set, the mutation test explores with a fresh random seed instead (see
/// <see cref="FuzzExploration"/>).
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets => new(ParserFuzzTargets.All.Select(t => t.Name));

    public static TheoryData<string, string> CorpusCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (target, file) in FuzzCorpus.Files()) data.Add(target, file);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_parse_and_every_value_comes_from_its_field(string name)
    {
        var target = ParserFuzzTargets.Named(name);
        var seeds = target.Seeds();
        Assert.NotEmpty(seeds);
        foreach (var seed in seeds)
        {
            var verdict = target.Check(seed.Text);
            Assert.False(verdict.IsRejected, $"{name}: seed {seed} was rejected: {verdict.Rejection}");
            Assert.True(verdict.CheckedValues > 0, $"{name}: seed {seed} yielded no value, so the oracle proves nothing");
            Assert.True(verdict.Violations.Count == 0, $"{name}: seed {seed}: {string.Join("\n", verdict.Violations)}");
            output.WriteLine($"{name}: {seed}: {verdict.CheckedValues} values checked");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_inputs_are_rejected_cleanly_or_read_from_the_right_fields(string name)
    {
        var target = ParserFuzzTargets.Named(name);
        var seeds = target.Seeds();
        Assert.NotEmpty(seeds);
        var budget = FuzzExploration.Budget(ParserFuzzTargets.All.Count);
        var exploring = budget is not null;
        var seed = exploring ? FuzzExploration.SeedFor(name) : FuzzExploration.StableSeed(name);
        var deadline = exploring ? Stopwatch.StartNew() : null;
        if (exploring) FuzzExploration.Announce(output, name, seed);

        var mutator = new InputMutator(seed);
        var (ran, parsed, rejected) = (0, 0, 0);
        for (var i = 0; exploring ? deadline!.Elapsed < budget : i < target.Iterations; i++, ran++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count].Text);
            var (verdict, failure) = FuzzHarness.Run(target, input);
            if (failure is not null)
            {
                var hint = exploring ? FuzzExploration.Keep(output, name, seed, i, input) : $"seed {seed}, iteration {i} (deterministic run)";
                Assert.Fail($"{name}: {failure}\n{hint}\ninput: {FuzzHarness.Show(input)}");
            }

            if (verdict!.IsRejected) rejected++;
            else parsed++;
        }

        output.WriteLine($"{name}: {ran} mutated inputs (seed {seed}): {parsed} parsed and checked, {rejected} rejected cleanly");
        if (!exploring) Assert.Equal(target.Iterations, ran);
        Assert.True(parsed > 0, $"{name}: every mutated input was rejected, so the oracle was never exercised");
    }

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public void Regression_corpus_input_is_rejected_cleanly_or_read_from_the_right_fields(string target, string file)
    {
        var input = FuzzCorpus.Read(file);
        var (verdict, failure) = FuzzHarness.Run(ParserFuzzTargets.Named(target), input);
        Assert.True(failure is null, $"{file}: {failure}");
        output.WriteLine($"{file}: {(verdict!.IsRejected ? "rejected: " + verdict.Rejection : verdict.CheckedValues + " values checked")}");
    }
}
