using Tapewatch.TestSupport;

namespace Tapewatch.Benchmarks;

/// <summary>
/// The pages the parse benchmarks read (and scripts/parse-bench.sh hands to pandas.read_html too): the real Farside page of
/// tests/data, the real 2024–2026 history of tests/data in Farside's markup (the newest 230 rows — the size of the all-data
/// page — and all 579), and the generated 700-row page of <see cref="TapewatchBenchmarks"/>.
/// </summary>
public static class ParsePages
{
    public const string RealPage = "real-2026-07-23-14-rows";
    public const string Csv230 = "all-data-real-csv-230-rows";
    public const string Csv579 = "all-data-real-csv-579-rows";
    public const string Generated700 = "generated-700-rows";

    public static IReadOnlyList<string> Names { get; } = [RealPage, Csv230, Csv579, Generated700];

    public static string Html(string name) => name switch
    {
        RealPage => File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_2026-07-23_trimmed.html")),
        Csv230 => FarsideMarkup.FromFlowsCsv(Csv(), lastRows: 230),
        Csv579 => FarsideMarkup.FromFlowsCsv(Csv()),
        Generated700 => FarsideMarkup.AllDataPage(TapewatchBenchmarks.Sessions),
        _ => throw new ArgumentException($"no page '{name}'", nameof(name)),
    };

    /// <summary>Writes every page to <paramref name="folder"/> as NAME.html (UTF-8, no BOM).</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in Names) File.WriteAllText(Path.Combine(folder, name + ".html"), Html(name));
    }

    private static string Csv() => File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
}
