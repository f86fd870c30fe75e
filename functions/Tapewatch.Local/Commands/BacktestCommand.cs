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
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>tapewatch backtest [--flows-csv PATH] [--prices-csv PATH] [--from D] [--to D] [--json]</c>: replays the
/// scenario engine over history, from a flows CSV (no storage needed) or from storage.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var flowsCsv = new Option<FileInfo?>("--flows-csv") { Description = "Flows CSV (date,<fund…>,Total in US$m, Farside shape); without it the stored sessions are replayed" };
        var pricesCsv = new Option<FileInfo?>("--prices-csv") { Description = "Optional BTC daily closes CSV (date,close) for forward returns after each episode start; from storage the derivatives closes are used" };
        var from = new Option<string?>("--from") { Description = "First session to report (yyyy-MM-dd)" };
        var to = new Option<string?>("--to") { Description = "Last session to report (yyyy-MM-dd)" };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"sessions\":[…],\"episodes\":[…],\"summary\":[…]}" };
        var command = new Command("backtest", "Replay the scenario engine over history: each session's regime and scenario statuses, the episodes (Triggered or above) and a summary")
        {
            flowsCsv, pricesCsv, from, to, json,
        };
        command.SetAction(async (parse, ct) => await RunAsync(
            parse.GetValue(flowsCsv), parse.GetValue(pricesCsv), parse.GetValue(from), parse.GetValue(to), parse.GetValue(json),
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

    internal static async Task<int> RunAsync(FileInfo? flowsCsv, FileInfo? pricesCsv, string? fromText, string? toText, bool asJson, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryDate(fromText, "--from", error, out var from) || !TryDate(toText, "--to", error, out var to)) return ExitCodes.Usage;
        if (from > to)
        {
            await error.WriteLineAsync($"error: --from ({from:yyyy-MM-dd}) is after --to ({to:yyyy-MM-dd})").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddTapewatchCore(configuration);
        services.AddRules(configuration);
        await using var provider = services.BuildServiceProvider();
        RegimeEngine engine;
        try
        {
            engine = provider.GetRequiredService<RegimeEngine>();
        }
        catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
        {
            await error.WriteLineAsync(message).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        RuleInputs inputs;
        IReadOnlyDictionary<DateOnly, decimal>? closes = null;
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
            inputs = new RuleInputs(sessions, coverageStart: parsed.Rows.Count > 0 ? parsed.Rows.Min(r => r.Date) : null);
            sourceLabel = flowsCsv.Name;
        }
        else
        {
            if (configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.IsConfigured != true)
            {
                await error.WriteLineAsync("error: no --flows-csv, no storage configured and no local host running: give --flows-csv FILE, start ./tapewatch run (or demo), or set Tapewatch__Storage__ConnectionString to replay the stored sessions").ConfigureAwait(false);
                return ExitCodes.Configuration;
            }

            var end = to ?? Core.Time.NewYorkTime.DateOf(provider.GetRequiredService<TimeProvider>().GetUtcNow());
            var start = from ?? RuleInputs.EtfLaunch;
            try
            {
                var loader = provider.GetRequiredService<EvaluationInputsLoader>();
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

            closes = inputs.Derivatives.Where(d => d.BtcCloseUsd is > 0).ToDictionary(d => d.Session, d => d.BtcCloseUsd!.Value);
            if (closes.Count == 0) closes = null;
            sourceLabel = "storage";
        }

        if (pricesCsv is not null)
        {
            var (prices, problem) = ReadCloses(pricesCsv);
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: --prices-csv: {problem}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            closes = prices;
        }

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

        foreach (var w in warnings) await error.WriteLineAsync("warning: " + w).ConfigureAwait(false);
        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ApiJson.Options)).ConfigureAwait(false);
        }
        else
        {
            WriteText(result, sourceLabel, output);
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

        o.WriteLine();
        o.WriteLine("Regimes: " + string.Join(", ", result.Regimes.Select(kv => $"{kv.Key} {kv.Value}")));
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

    /// <summary>Reads "date,close" (header required); a bad row fails the whole file (nothing guessed).</summary>
    internal static (Dictionary<DateOnly, decimal>? Closes, string? Problem) ReadCloses(FileInfo file)
    {
        if (!file.Exists) return (null, $"{file.FullName} does not exist");
        var closes = new Dictionary<DateOnly, decimal>();
        using var reader = file.OpenText();
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF').Split(',');
        if (header is not { Length: >= 2 } || !header[0].Trim().Equals("date", StringComparison.OrdinalIgnoreCase)) return (null, "the header must be 'date,close'");
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var cells = text.Split(',');
            if (cells.Length < 2
                || !DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                || !decimal.TryParse(cells[1].Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var c) || c <= 0)
            {
                return (null, $"line {line} is not 'yyyy-MM-dd,<positive close>'");
            }

            closes[d] = c;
        }

        return (closes, null);
    }
}
