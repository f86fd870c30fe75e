using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Core.Evidence;
using Tapewatch.Infrastructure.Evidence;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>tapewatch backtest [--flows-csv PATH] [--prices-csv PATH] [--funding-csv PATH] [--from D] [--to D] [--json]</c>:
/// replays the scenario engine over history, from a flows CSV (no storage needed) or from storage, with the bundled BTC
/// closes and funding (data/btc) unless other files are given: forward returns against the baseline, funding
/// confirmations on history.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var flowsCsv = new Option<FileInfo?>("--flows-csv") { Description = "Flows CSV (date,<fund…>,Total in US$m, Farside shape); without it the stored sessions are replayed" };
        var pricesCsv = new Option<FileInfo?>("--prices-csv") { Description = "BTC daily closes CSV (date,close) for forward returns; default: the bundled closes (2019-03 .. 2026-04), extended by the stored closes when replaying storage" };
        var fundingCsv = new Option<FileInfo?>("--funding-csv") { Description = "Funding CSV (time_utc,rate per 8 h) for the funding confirmations on history; default: the bundled Binance funding (2019-09 .. 2026-04)" };
        var from = new Option<string?>("--from") { Description = "First session to report (yyyy-MM-dd)" };
        var to = new Option<string?>("--to") { Description = "Last session to report (yyyy-MM-dd)" };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"sessions\":[…],\"episodes\":[…],\"summary\":[…],\"evidence\":[…],\"series\":[…]}" };
        var sweep = new Option<string?>("--sweep") { Description = "Replay with each value of one rule setting, e.g. Rebuild.MinDailyFlowUsdM=150..300:50, and print the evidence in and out of sample" };
        var split = new Option<string?>("--split") { Description = "With --sweep: the first out-of-sample session (yyyy-MM-dd); default: the first session of the last third" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write a self-contained HTML page (charts included, opens offline): price with the episodes shaded, the evidence table, the sweep" };
        var command = new Command("backtest", "Replay the scenario engine over history: each session's regime and scenario statuses, the episodes (Triggered or above) and a summary")
        {
            flowsCsv, pricesCsv, fundingCsv, from, to, json, sweep, split, report,
        };
        command.SetAction(async (parse, ct) => await RunAsync(
            new BacktestArguments(parse.GetValue(flowsCsv), parse.GetValue(pricesCsv), parse.GetValue(fundingCsv), parse.GetValue(from), parse.GetValue(to), parse.GetValue(json))
            {
                Sweep = parse.GetValue(sweep),
                Split = parse.GetValue(split),
                Report = parse.GetValue(report),
            },
            StorageConfiguration(parse.GetValue(flowsCsv) is null), Console.Out, Console.Error, ct).ConfigureAwait(false));
        return command;
    }

    /// <summary>Without a CSV, the stored sessions: configured storage, else a running local host's (./tapewatch run or demo).</summary>
    private static IConfiguration StorageConfiguration(bool fromStorage)
    {
        var configuration = LocalConfiguration.Build();
        if (!fromStorage || LocalStorage.IsConfigured(configuration) || LocalHostState.ReadLive() is not { } running) return configuration;
        Console.Error.WriteLine($"storage: using the running local host's Azurite (pid {running.ProcessId}, http://localhost:{running.Port})");
        return LocalConfiguration.Build(new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = running.ConnectionString });
    }

    internal static Task<int> RunAsync(FileInfo? flowsCsv, FileInfo? pricesCsv, string? fromText, string? toText, bool asJson, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(new BacktestArguments(flowsCsv, pricesCsv, null, fromText, toText, asJson), configuration, output, error, cancellationToken);

    internal static async Task<int> RunAsync(BacktestArguments args, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (flowsCsv, pricesCsv, fundingCsv, fromText, toText, asJson) = args;
        if (!TryDate(fromText, "--from", error, out var from) || !TryDate(toText, "--to", error, out var to) || !TryDate(args.Split, "--split", error, out var splitDate)) return ExitCodes.Usage;
        if (from > to)
        {
            await error.WriteLineAsync($"error: --from ({from:yyyy-MM-dd}) is after --to ({to:yyyy-MM-dd})").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        SweepSpec? sweepSpec = null;
        if (args.Sweep is { } sweepText)
        {
            (sweepSpec, var sweepProblem) = SweepSpec.Parse(sweepText);
            if (sweepSpec is null)
            {
                await error.WriteLineAsync("error: " + sweepProblem).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }
        else if (splitDate is not null)
        {
            await error.WriteLineAsync("error: --split needs --sweep").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var (engine, provider, engineProblem) = CreateEngine(configuration, withStorage: flowsCsv is null);
        await using var disposeProvider = provider;
        if (engine is null)
        {
            await error.WriteLineAsync(engineProblem).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        var (history, historyProblem) = LoadHistory(pricesCsv, fundingCsv);
        if (history is null)
        {
            await error.WriteLineAsync($"error: {historyProblem}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        RuleInputs inputs;
        var warnings = new List<string>();
        string sourceLabel;
        if (flowsCsv is not null)
        {
            if (!flowsCsv.Exists)
            {
                await error.WriteLineAsync($"error: --flows-csv: {flowsCsv.FullName} does not exist").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            EtfFlowParseResult parsed;
            using (var reader = flowsCsv.OpenText())
            {
                parsed = FlowsCsvReader.Parse(reader);
            }

            if (!parsed.Succeeded)
            {
                await error.WriteLineAsync($"error: --flows-csv: {parsed.Error}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            warnings.AddRange(parsed.Warnings.Select(w => "flows csv: " + w));
            var sessions = Backtest.SessionsFromRows(parsed.Rows, "csv");
            inputs = new RuleInputs(sessions, derivatives: HistoricalReadings.For(sessions.Select(x => x.Date), history), coverageStart: parsed.Rows.Count > 0 ? parsed.Rows.Min(r => r.Date) : null);
            sourceLabel = flowsCsv.Name;
        }
        else
        {
            if (configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.IsConfigured != true)
            {
                await error.WriteLineAsync("error: no --flows-csv, no storage configured and no local host running: give --flows-csv FILE, start ./tapewatch run (or demo), or set Tapewatch__Storage__ConnectionString to replay the stored sessions").ConfigureAwait(false);
                return ExitCodes.Configuration;
            }

            var container = provider!; // built when there is no CSV
            var end = to ?? NewYorkTime.DateOf(container.GetRequiredService<TimeProvider>().GetUtcNow());
            var start = from ?? RuleInputs.EtfLaunch;
            try
            {
                var loader = container.GetRequiredService<EvaluationInputsLoader>();
                await using (TerminalProgress.Start("loading stored sessions"))
                {
                    inputs = await loader.LoadAsync(start, end, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                await error.WriteLineAsync($"error: storage: {ex.Message.Split('\n')[0]}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            (inputs, history) = HistoryInputs.Combine(inputs, history, keepHistoryCloses: pricesCsv is not null);
            sourceLabel = "storage";
        }

        var closes = history.Closes.Count > 0 ? history.Closes : null;

        if (inputs.SessionDates.Count == 0)
        {
            await error.WriteLineAsync($"error: no sessions in {sourceLabel}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        BacktestResult result;
        await using (TerminalProgress.Start($"backtesting {inputs.SessionDates.Count} sessions"))
        {
            result = Backtest.Run(engine, inputs, from, to, closes, warnings);
        }

        result = result with { Series = Coverage(result, sourceLabel, history) };
        if (sweepSpec is not null)
        {
            if (closes is null || result.Sessions.Count < 3)
            {
                await error.WriteLineAsync("error: --sweep needs closes and at least 3 sessions").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await using (TerminalProgress.Start($"sweeping {sweepSpec.Setting} over {sweepSpec.Values.Count} values"))
            {
                result = result with { Sweep = RunSweep(sweepSpec, splitDate, configuration, inputs, from, to, closes, result) };
            }
        }

        if (result.Evidence is not null && result.Sessions.Count > 0 && history.ClosesCoverage is { } covered && (covered.From > result.Sessions[0].Date || covered.To < result.Sessions[^1].Date))
        {
            warnings.Add($"closes cover {covered.From:yyyy-MM-dd} .. {covered.To:yyyy-MM-dd}: forward returns only for sessions inside it");
        }

        foreach (var w in warnings) await error.WriteLineAsync("warning: " + w).ConfigureAwait(false);
        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(result, CliJsonContext.Default.BacktestResult)).ConfigureAwait(false);
        }
        else
        {
            WriteText(result, sourceLabel, output);
        }

        if (args.Report is { } reportFile)
        {
            try
            {
                await File.WriteAllTextAsync(reportFile.FullName, EvidenceReport.Render(result, history), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: --report: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await error.WriteLineAsync($"report: {reportFile.FullName}").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static void WriteText(BacktestResult result, string source, TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"Backtest {result.From:yyyy-MM-dd} .. {result.To:yyyy-MM-dd}: {result.Sessions.Count} sessions from {source}");
        o.WriteLine();
        o.WriteLine($"{"date",-10}  {"total",9}  {"regime",-11}  {"rebuild",-9}  {"caution",-9}  {"snapback",-9}");
        foreach (var s in result.Sessions)
        {
            o.WriteLine(string.Format(inv, "{0:yyyy-MM-dd}  {1,9}  {2,-11}  {3,-9}  {4,-9}  {5,-9}{6}",
                s.Date, s.Total.ToString("0.0", inv), s.Regime, s.Scenarios["rebuild"], s.Scenarios["caution"], s.Scenarios["snapback"], s.Provisional ? "  provisional" : ""));
        }

        o.WriteLine();
        o.WriteLine("Episodes (consecutive sessions at Triggered or above)");
        var withReturns = result.Episodes.Any(e => e.ForwardReturnsPct is not null);
        o.WriteLine($"{"scenario",-9}  {"start",-10}  {"end",-10}  {"sessions",8}  {"confirmed",-9}" + (withReturns ? $"  {"+5s %",7}  {"+10s %",7}  {"+20s %",7}" : ""));
        foreach (var e in result.Episodes)
        {
            var line = string.Format(inv, "{0,-9}  {1:yyyy-MM-dd}  {2:yyyy-MM-dd}  {3,8}  {4,-9}", e.Scenario, e.Start, e.End, e.Sessions, e.Confirmed ? "yes" : "no") + (e.Open ? "  (open)" : "");
            if (e.ForwardReturnsPct is { } r) line += string.Concat(Backtest.ForwardHorizons.Select(h => $"  {Fmt(r[h.ToString(inv)]),7}"));
            o.WriteLine(line);
        }

        o.WriteLine();
        o.WriteLine("Summary");
        o.WriteLine($"{"scenario",-9}  {"episodes",8}  {"sessions",8}  {"confirmed",9}  {"avg length",10}" + (withReturns ? $"  {"avg +5s %",9}  {"avg +10s %",10}  {"avg +20s %",10}" : ""));
        foreach (var row in result.Summary)
        {
            var line = string.Format(inv, "{0,-9}  {1,8}  {2,8}  {3,9}  {4,10}", row.Scenario, row.Episodes, row.SessionsTriggered, row.ConfirmedEpisodes, row.AverageEpisodeSessions?.ToString("0.0", inv) ?? "-");
            if (row.AverageForwardReturnsPct is { } r) line += $"  {Fmt(r["5"]),9}  {Fmt(r["10"]),10}  {Fmt(r["20"]),10}";
            o.WriteLine(line);
        }

        WriteEvidence(result, o);
        if (result.Sweep is { } sweep) WriteSweep(sweep, o);
        o.WriteLine();
        o.WriteLine("Regimes: " + string.Join(", ", result.Regimes.Select(kv => $"{kv.Key} {kv.Value}")));
        o.WriteLine("Series: " + string.Join("; ", result.Series.Select(x => $"{x.Source} {x.From:yyyy-MM-dd} .. {x.To:yyyy-MM-dd} ({x.Points})")));
        if (source.Contains("farside", StringComparison.OrdinalIgnoreCase)) o.WriteLine("Flows: Farside Investors (farside.co.uk).");
    }

    private static string Fmt(decimal? v) => v?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static bool TryDate(string? text, string name, TextWriter error, out DateOnly? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = d;
            return true;
        }

        error.WriteLine($"error: {name} must be a date in yyyy-MM-dd form (got '{text}')");
        return false;
    }

    /// <summary>
    /// The engine from the registered options. Replaying a CSV needs no storage: the engine is created from the options the
    /// registrations would give (rules, then calendar, as the container's factory does) without building a container, a
    /// start-up saving (docs/performance.md, "Start-up"); the stored sessions need the whole core, so a container.
    /// </summary>
    private static (RegimeEngine? Engine, ServiceProvider? Provider, string? Problem) CreateEngine(IConfiguration configuration, bool withStorage)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        if (withStorage)
        {
            services.AddLogging();
            services.AddTapewatchCore(configuration);
        }
        else
        {
            services.AddClockAndCalendar(configuration);
        }

        services.AddRules(configuration);
        var provider = withStorage ? services.BuildServiceProvider() : null;
        try
        {
            var engine = provider is null
                ? new RegimeEngine(RegisteredOptions.Create<RulesOptions>(services), new TradingCalendar(RegisteredOptions.Create<CalendarOptions>(services)))
                : provider.GetRequiredService<RegimeEngine>();
            return (engine, provider, null);
        }
        catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
        {
            return (null, provider, message);
        }
    }

    /// <summary>Replays with each value of the setting; evidence before the split (in sample) and from it on (out of sample).</summary>
    private static SweepReport RunSweep(SweepSpec spec, DateOnly? split, IConfiguration configuration, RuleInputs inputs, DateOnly? from, DateOnly? to, IReadOnlyDictionary<DateOnly, decimal> closes, BacktestResult baseRun)
    {
        var dates = baseRun.Sessions.Select(s => s.Date).ToList();
        var first = split ?? dates[dates.Count * 2 / 3];
        var scenarios = spec.Scenario is { } only ? [only] : Enum.GetValues<ScenarioKind>();
        var rows = new List<SweepRow>();
        foreach (var value in spec.Values)
        {
            var swept = new ConfigurationBuilder().AddConfiguration(configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { [spec.ConfigurationKey] = SweepSpec.Format(value) }).Build();
            var (engine, provider, problem) = CreateEngine(swept, withStorage: false);
            using (provider)
            {
                if (engine is null)
                {
                    rows.Add(new SweepRow { Value = value, Error = problem?.Replace("error: configuration: ", "", StringComparison.Ordinal) });
                    continue;
                }

                var run = Backtest.Run(engine, inputs, from, to, closes);
                rows.Add(Backtest.SweepRowOf(value, run, first, dates, inputs.SessionDates, closes, scenarios));
            }
        }

        return new SweepReport { Setting = spec.Setting, InSampleFrom = dates[0], Split = first, OutOfSampleTo = dates[^1], Rows = rows };
    }

    private static void WriteSweep(SweepReport sweep, TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine($"Sweep of {sweep.Setting}: in sample {sweep.InSampleFrom:yyyy-MM-dd} .. before {sweep.Split:yyyy-MM-dd}, out of sample {sweep.Split:yyyy-MM-dd} .. {sweep.OutOfSampleTo:yyyy-MM-dd} (10-session forward returns)");
        o.WriteLine($"{"value",8}  {"scenario",-9}  {"in: eps",7}  {"mean %",7}  {"hit %",6}  {"p",6}  {"base %",7}  {"out: eps",8}  {"mean %",7}  {"hit %",6}  {"p",6}  {"base %",7}");
        foreach (var row in sweep.Rows)
        {
            if (row.Error is not null)
            {
                o.WriteLine($"{SweepSpec.Format(row.Value),8}  refused: {row.Error}");
                continue;
            }

            foreach (var (i, x) in row.InSample!.Zip(row.OutOfSample!))
            {
                var a = i.Horizons.Single(h => h.Horizon == 10);
                var b = x.Horizons.Single(h => h.Horizon == 10);
                o.WriteLine(string.Format(inv, "{0,8}  {1,-9}  {2,7}  {3,7}  {4,6}  {5,6}  {6,7}  {7,8}  {8,7}  {9,6}  {10,6}  {11,7}",
                    SweepSpec.Format(row.Value), i.Scenario, a.Episodes, Fmt(a.MeanPct), a.HitRatePct?.ToString("0.0", inv) ?? "-", a.PermutationP?.ToString("0.000", inv) ?? "-", Fmt(a.BaselineMeanPct),
                    b.Episodes, Fmt(b.MeanPct), b.HitRatePct?.ToString("0.0", inv) ?? "-", b.PermutationP?.ToString("0.000", inv) ?? "-", Fmt(b.BaselineMeanPct)));
            }
        }

        o.WriteLine("A setting generalises when its out-of-sample figures hold up against their baseline, not only its in-sample ones.");
    }

    /// <summary>Forward returns per scenario and horizon against the baseline, then the confirmations met on history.</summary>
    private static void WriteEvidence(BacktestResult result, TextWriter o)
    {
        if (result.Evidence is null) return;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine("Evidence: BTC forward returns after episode starts against every session of the period (descriptive, not advice)");
        o.WriteLine($"{"scenario",-9}  {"h",3}  {"episodes",8}  {"mean %",7}  {"median %",8}  {"hit %",6}  {"90% CI of mean",17}  {"p",6}  {"baseline %",10}  {"base hit %",10}");
        foreach (var scenario in result.Evidence)
        {
            foreach (var h in scenario.Horizons)
            {
                var ci = h.MeanLow90Pct is { } lo && h.MeanHigh90Pct is { } hi ? string.Format(inv, "{0:0.00} .. {1:0.00}", lo, hi) : "-";
                o.WriteLine(string.Format(inv, "{0,-9}  {1,3}  {2,8}  {3,7}  {4,8}  {5,6}  {6,17}  {7,6}  {8,10}  {9,10}",
                    scenario.Scenario, h.Horizon, h.Episodes, Fmt(h.MeanPct), Fmt(h.MedianPct), h.HitRatePct?.ToString("0.0", inv) ?? "-", ci,
                    h.PermutationP?.ToString("0.000", inv) ?? "-", Fmt(h.BaselineMeanPct), h.BaselineHitRatePct?.ToString("0.0", inv) ?? "-"));
            }
        }

        o.WriteLine("hit % = share of episodes moving the scenario's way (Rebuild, Snapback up; Caution down); p = share of 2,000 random sets of start sessions doing at least as well");
        o.WriteLine();
        o.WriteLine("Confirmations met on history (episodes with the condition met on some session)");
        foreach (var row in result.Summary)
        {
            var known = row.ConfirmationsMet.Where(kv => !row.ConfirmationsWithoutHistory.Contains(kv.Key)).Select(kv => $"{kv.Key} {kv.Value}/{row.Episodes}");
            o.WriteLine($"{row.Scenario,-9}  {string.Join(", ", known).NullIfEmpty() ?? "none with history"}" +
                (row.ConfirmationsWithoutHistory.Count > 0 ? $"; no history (unknown): {string.Join(", ", row.ConfirmationsWithoutHistory)}" : ""));
        }
    }

    private static string? NullIfEmpty(this string text) => text.Length == 0 ? null : text;

    private static IReadOnlyList<SeriesCoverage> Coverage(BacktestResult result, string flowsSource, BtcHistory history)
    {
        var series = new List<SeriesCoverage>();
        if (result.Sessions.Count > 0) series.Add(new SeriesCoverage("flows: " + flowsSource, result.Sessions[0].Date, result.Sessions[^1].Date, result.Sessions.Count));
        if (history.ClosesCoverage is { } closes) series.Add(closes with { Source = "closes: " + closes.Source });
        if (history.FundingCoverage is { } funding) series.Add(funding with { Source = "funding: " + funding.Source });
        return series;
    }

    /// <summary>The bundled history, with <c>--prices-csv</c> / <c>--funding-csv</c> replacing its parts.</summary>
    private static (BtcHistory? History, string? Problem) LoadHistory(FileInfo? pricesCsv, FileInfo? fundingCsv)
    {
        var history = BundledHistory.Load();
        if (pricesCsv is not null)
        {
            var (prices, problem) = ReadCloses(pricesCsv);
            if (problem is not null) return (null, $"--prices-csv: {problem}");
            history = history with { Closes = prices!, ClosesSource = pricesCsv.Name };
        }

        if (fundingCsv is not null)
        {
            if (!fundingCsv.Exists) return (null, $"--funding-csv: {fundingCsv.FullName} does not exist");
            using var reader = fundingCsv.OpenText();
            var (funding, problem) = BtcHistoryCsv.ParseFunding(reader);
            if (problem is not null) return (null, $"--funding-csv: {problem}");
            history = history with { Funding = funding!, FundingSource = fundingCsv.Name };
        }

        return (history, null);
    }

    /// <summary>Reads "date,close" (header required); a bad row fails the whole file (nothing guessed).</summary>
    internal static (Dictionary<DateOnly, decimal>? Closes, string? Problem) ReadCloses(FileInfo file)
    {
        if (!file.Exists) return (null, $"{file.FullName} does not exist");
        using var reader = file.OpenText();
        return BtcHistoryCsv.ParseCloses(reader);
    }
}

internal sealed record BacktestArguments(FileInfo? FlowsCsv, FileInfo? PricesCsv, FileInfo? FundingCsv, string? From, string? To, bool Json)
{
    public string? Sweep { get; init; }

    public string? Split { get; init; }

    public FileInfo? Report { get; init; }
}
