using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary><c>evaluate [--as-of D] [--from D]</c>: evaluate now (the evaluator's own code path), store and print.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate as of this New York date (yyyy-MM-dd; default: the latest closed session)" };
        var from = new Option<string?>("--from") { Description = "Also re-evaluate every stored session from this date (history)" };
        var json = new Option<bool>("--json") { Description = "Print the evaluation as JSON" };
        var storage = StorageOptionsFlags.Storage();
        var data = StorageOptionsFlags.Data();
        var command = new Command("evaluate", "Evaluate the scenarios from stored data, store the result (current + history) and print it") { asOf, from, json, storage, data };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryDate(parse.GetValue(asOf), out var asOfDate)) return Usage("--as-of must be a date in yyyy-MM-dd form");
            if (!TryDate(parse.GetValue(from), out var fromDate)) return Usage("--from must be a date in yyyy-MM-dd form");
            await using var services = await CommandServices.OpenAsync(parse.GetValue(storage), parse.GetValue(data), Console.Error, Console.Error, ct).ConfigureAwait(false);
            if (services is null) return ExitCodes.Configuration;
            var outcome = await services.Get<EvaluationService>().EvaluateAsync(asOfDate, fromDate, "cli", ct).ConfigureAwait(false);
            if (outcome.Evaluation is null)
            {
                await Console.Error.WriteLineAsync("evaluate: no ETF flow sessions stored on or before that date; nothing to evaluate").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await Console.Out.WriteAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(outcome.Evaluation, ApiJson.Options) + Environment.NewLine
                : RegimeTable.Render(outcome.Evaluation) + $"({outcome.SessionsEvaluated} session(s) evaluated, {outcome.HistoryWritten} history row(s) written)" + Environment.NewLine).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (text is null) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }
}
