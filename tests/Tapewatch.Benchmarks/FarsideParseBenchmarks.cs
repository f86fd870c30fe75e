using BenchmarkDotNet.Attributes;
using Tapewatch.Core.Flows;

namespace Tapewatch.Benchmarks;

/// <summary>
/// The Farside parser on each page of <see cref="ParsePages"/>: as it parses (the scanner; AngleSharp only for pages it
/// declines) against the AngleSharp reader of the same cells (the parser before the scanner: a DOM of the whole page).
/// </summary>
/// <remarks>15 iterations (not ShortRun's 3) and the median: the shared build machine is noisy.</remarks>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[IterationCount(15)]
[WarmupCount(5)]
public class FarsideParseBenchmarks
{
    private string _html = "";

    [ParamsSource(nameof(Pages))]
    public string Page { get; set; } = ParsePages.RealPage;

    public static IEnumerable<string> Pages => ParsePages.Names;

    [GlobalSetup]
    public void Setup()
    {
        _html = ParsePages.Html(Page);
        var fast = FarsideHtmlParser.Parse(_html, FarsideTableReader.ScannerOnly) ?? throw new InvalidOperationException($"{Page}: the scanner declined the page");
        var before = FarsideHtmlParser.Parse(_html, FarsideTableReader.AngleSharp)!;
        if (!fast.Succeeded || fast.Rows.Count != before.Rows.Count) throw new InvalidOperationException($"{Page}: {fast.Rows.Count} rows vs {before.Rows.Count}, {fast.Error}");
    }

    [Benchmark(Description = "Parse (scanner)")]
    public int Parse() => FarsideHtmlParser.Parse(_html).Rows.Count;

    [Benchmark(Baseline = true, Description = "Parse (AngleSharp DOM, before)")]
    public int ParseWithAngleSharp() => FarsideHtmlParser.Parse(_html, FarsideTableReader.AngleSharp)!.Rows.Count;
}
