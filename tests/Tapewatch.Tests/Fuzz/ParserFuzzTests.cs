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

    /// <summary>The seed corpus of each target (fixtures, tests/data, generated pages): what the loops below run over.</summary>
    [Fact]
    public void Every_target_has_its_seed_corpus()
    {
        var expected = new Dictionary<string, int>
        {
            ["farside-html"] = 3, ["flows-csv"] = 3, ["sosovalue-json"] = 1,
            ["binance-premium-index"] = 1, ["binance-funding"] = 2, ["binance-open-interest"] = 2, ["binance-open-interest-hist"] = 2, ["binance-delivery"] = 1,
            ["bybit-funding"] = 2, ["bybit-open-interest"] = 2, ["bybit-ticker"] = 1, ["deribit-book"] = 1, ["deribit-index"] = 1, ["kraken-tickers"] = 2,
            ["okx-funding"] = 2, ["okx-open-interest"] = 2, ["okx-futures-marks"] = 1, ["okx-index"] = 1, ["coinbase-candles"] = 1,
            ["coinalyze-open-interest"] = 1, ["coinalyze-funding"] = 1, ["cftc-json"] = 1, ["cftc-csv"] = 3, ["coinshares-feed"] = 4, ["coinshares-html"] = 1,
            ["binance-reading"] = 2, ["bybit-reading"] = 2, ["deribit-reading"] = 1, ["kraken-reading"] = 2, ["okx-reading"] = 2, ["coinalyze-reading"] = 1,
        };

        Assert.Equal(expected, ParserFuzzTargets.All.ToDictionary(t => t.Name, t => t.Seeds().Count));
        Assert.Equal(48_300, ParserFuzzTargets.All.Sum(t => t.Iterations)); // the mutated inputs of a CI run
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
