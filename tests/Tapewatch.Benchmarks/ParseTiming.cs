using System.Diagnostics;
using System.Globalization;
using Tapewatch.Core.Flows;

namespace Tapewatch.Benchmarks;

/// <summary>
/// <c>Tapewatch.Benchmarks parse-pages DIR</c> writes the pages of <see cref="ParsePages"/>;
/// <c>Tapewatch.Benchmarks parse-timing [--samples N] [--angle-sharp] FILE…</c> parses each file in process, N timed
/// parses after a warm-up (a second, at least 50 parses), and prints one tab-separated line per file and reader: file, reader, median ms, minimum ms,
/// allocated bytes per parse, rows (scripts/parse-bench.sh puts pandas.read_html beside it).
/// </summary>
internal static class ParseTiming
{
    public static int WritePages(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: parse-pages DIR");
            return 2;
        }

        ParsePages.Write(args[0]);
        foreach (var name in ParsePages.Names) Console.WriteLine(Path.Combine(args[0], name + ".html"));
        return 0;
    }

    public static int Run(string[] args)
    {
        var samples = 200;
        var angleSharp = false;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--samples" && i + 1 < args.Length) samples = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--angle-sharp") angleSharp = true;
            else files.Add(args[i]);
        }

        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: parse-timing [--samples N] [--angle-sharp] FILE...");
            return 2;
        }

        foreach (var file in files)
        {
            var html = File.ReadAllText(file);
            Measure(file, "scanner", samples, () => FarsideHtmlParser.Parse(html));
            if (angleSharp) Measure(file, "angle-sharp", Math.Max(10, samples / 5), () => FarsideHtmlParser.Parse(html, FarsideTableReader.AngleSharp)!);
        }

        return 0;
    }

    private static void Measure(string file, string reader, int samples, Func<EtfFlowParseResult> parse)
    {
        var result = parse();
        if (!result.Succeeded) throw new InvalidOperationException($"{file}: {result.Error}");
        if (reader == "scanner" && FarsideHtmlParser.Parse(File.ReadAllText(file), FarsideTableReader.ScannerOnly) is null)
        {
            Console.Error.WriteLine($"{file}: the scanner declines this page; the figures are AngleSharp's");
        }

        // Warm-up: at least a second and 50 parses, so that tiered compilation has promoted the hot methods (tier 1, PGO).
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 50 || warmUp.Elapsed < TimeSpan.FromSeconds(1); i++) parse();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var times = new double[samples];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            parse();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / samples;
        Array.Sort(times);
        var median = samples % 2 == 1 ? times[samples / 2] : (times[(samples / 2) - 1] + times[samples / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}\t{reader}\t{median:0.000}\t{times[0]:0.000}\t{bytes}\t{result.Rows.Count}"));
    }
}
