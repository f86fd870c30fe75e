using System.Diagnostics;
using Tapewatch.Core.Flows;
using Tapewatch.TestSupport;
using Tapewatch.Tests.Flows;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// Differential fuzz of the Farside scanner: every mutated page (<see cref="InputMutator"/>) parses to exactly what the
/// parser as it was (<see cref="ReferenceFarsideHtmlParser"/>, AngleSharp's DOM) makes of it — rows, values with their
/// scale, warnings, errors —, whether the scanner reads the page or declines it to AngleSharp. Seeds: the farside-html
/// target's, plus the quirks table inside a real-looking page (scripts, styles, comments, forms, noscript). A fixed
/// number of mutations in CI; with <c>FUZZ_SECONDS</c> set, half of those seconds explore from a fresh seed (printed;
/// <c>FUZZ_SEED</c> replays), and a failing page is kept in <c>Fuzz/Corpus/farside-html/</c>.
/// </summary>
public sealed class FarsideScannerFuzzTests(ITestOutputHelper output)
{
    private const string Target = "farside-html";
    private const int Iterations = 600;

    private static IReadOnlyList<SeedInput> Seeds()
    {
        var quirks = FlowsFixtures.Read("farside_quirks.html");
        var table = quirks[quirks.IndexOf("<table", StringComparison.Ordinal)..(quirks.IndexOf("</table>", StringComparison.Ordinal) + 8)];
        return [.. ParserFuzzTargets.Named(Target).Seeds(), new SeedInput("quirks table in a real-looking page", FarsideScannerDifferentialTests.FullPage(table))];
    }

    [Fact]
    public void Mutated_pages_parse_as_the_AngleSharp_reference_parses_them()
    {
        var seeds = Seeds();
        var budget = FuzzExploration.Budget(2);
        var exploring = budget is not null;
        var seed = exploring ? FuzzExploration.SeedFor(Target + "-scanner") : FuzzExploration.StableSeed(Target + "-scanner");
        if (exploring) FuzzExploration.Announce(output, Target + " (scanner vs reference)", seed);
        var clock = Stopwatch.StartNew();
        var mutator = new InputMutator(seed);
        var (ran, scanned, declined) = (0, 0, 0);
        for (var i = 0; exploring ? clock.Elapsed < budget : i < Iterations; i++, ran++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count].Text);
            string expected, actual;
            bool read;
            try
            {
                expected = FarsideScannerDifferentialTests.Describe(ReferenceFarsideHtmlParser.Parse(input));
                var fast = FarsideHtmlParser.Parse(input, FarsideTableReader.ScannerOnly);
                read = fast is not null;
                actual = read ? FarsideScannerDifferentialTests.Describe(fast) : FarsideScannerDifferentialTests.Describe(FarsideHtmlParser.Parse(input));
            }
            catch (Exception ex)
            {
                (expected, actual, read) = ("no exception", ex.ToString(), false);
            }

            if (expected != actual)
            {
                var hint = exploring ? FuzzExploration.Keep(output, Target, seed, i, input) : $"seed {seed}, iteration {i} (deterministic run)";
                Assert.Fail($"{(read ? "scanner" : "fallback")} differs from the reference\n{hint}\nexpected:\n{expected}\nactual:\n{actual}\ninput: {FuzzHarness.Show(input)}");
            }

            if (read) scanned++;
            else declined++;
        }

        output.WriteLine($"{Target} scanner: {ran} mutated pages (seed {seed}) in {clock.Elapsed.TotalSeconds:0.0} s: {scanned} read by the scanner, {declined} declined to AngleSharp; all equal to the reference");
        if (!exploring) Assert.Equal(Iterations, ran);
        Assert.True(scanned > ran / 3, $"the scanner read only {scanned} of {ran} mutated pages: the differential proves little");
    }
}
