using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>ingest weekly-flows --file PATH [--dry-run] [--json]</c>: reads a saved CoinShares feed (RSS/Atom XML)
/// or a saved report page (HTML) and stores the week like the scheduled job does.
/// </summary>
internal static class IngestWeeklyFlowsCommand
{
    public const string Source = "manual-file";

    private const long MaxFileBytes = 20 * 1024 * 1024;

    public static Command Create()
    {
        var file = new Option<string?>("--file") { Description = "A saved CoinShares feed (RSS/Atom XML) or a saved report page (HTML)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Parse and print the week; touch no storage" };
        var json = new Option<bool>("--json") { Description = "Print JSON (for scripts)" };
        var published = new Option<string?>("--published") { Description = "Publication date (yyyy-MM-dd) for an HTML page that does not state it" };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString, else a private Azurite)" };
        var data = new Option<string?>("--data") { Description = "Folder for the private Azurite's data (as `run --data`); without it the import is discarded on exit" };
        var command = new Command("weekly-flows", "Import a CoinShares \"Digital Asset Fund Flows Weekly Report\" from a saved feed or page")
        {
            file, dryRun, json, published, storage, data,
        };
        command.SetAction((parse, ct) => RunAsync(
            new Request(parse.GetValue(file), parse.GetValue(dryRun), parse.GetValue(json), parse.GetValue(published), parse.GetValue(storage), parse.GetValue(data)),
            Console.Out,
            Console.Error,
            ct));
        return command;
    }

    internal sealed record Request(string? File, bool DryRun, bool Json, string? Published, string? Storage, string? Data);

    internal static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.File))
        {
            await error.WriteLineAsync("error: --file is required (a saved feed or report page)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        DateOnly? publishedOn = null;
        if (request.Published is { } p)
        {
            if (!DateOnly.TryParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                await error.WriteLineAsync("error: --published must be a date in yyyy-MM-dd form").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            publishedOn = d;
        }

        var info = new FileInfo(request.File);
        if (!info.Exists)
        {
            await error.WriteLineAsync($"error: --file: {info.FullName} does not exist").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (info.Length > MaxFileBytes)
        {
            return await FailAsync(request, output, error, $"{info.Name} is {info.Length} bytes, above the cap of {MaxFileBytes}").ConfigureAwait(false);
        }

        var content = await File.ReadAllBytesAsync(info.FullName, cancellationToken).ConfigureAwait(false);
        var read = WeeklyReport.Read(content, Source, WeeklyReport.DefaultTitle, publishedOn);
        if (read.Week is not { } week)
        {
            return await FailAsync(request, output, error, $"{info.Name}: {read.Error}").ConfigureAwait(false);
        }

        if (request.DryRun)
        {
            if (request.Json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(WeeklyFlowJson.From(week), ApiJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(Describe(week, read.Title)).ConfigureAwait(false);
                await output.WriteLineAsync("dry run: nothing stored").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }

        return await StoreAsync(request, week, read.Title, output, error, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> StoreAsync(Request request, WeeklyFundFlow week, string? title, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var services = await CommandServices.OpenAsync(request.Storage, request.Data, error, error, cancellationToken).ConfigureAwait(false);
        if (services is null) return ExitCodes.Configuration;
        var provider = services.Services;
        var started = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        WeeklyStoreResult stored;
        try
        {
            stored = await provider.GetRequiredService<WeeklyFlowIngestion>().StoreAsync(week, started, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            return await FailAsync(request, output, error, $"storage: {ex.Status} {ex.ErrorCode ?? ex.Message}").ConfigureAwait(false);
        }

        if (request.Json)
        {
            var result = new
            {
                Outcome = stored.Upsert.Outcome.ToString().ToLowerInvariant(),
                Revision = stored.Upsert.Stored.Revision,
                EvaluationEnqueued = stored.Run.EvaluationEnqueued,
                Week = WeeklyFlowJson.From(stored.Upsert.Stored),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ApiJson.Options)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(Describe(week, title)).ConfigureAwait(false);
            var what = stored.Upsert.Outcome switch
            {
                WeeklyUpsertOutcome.Inserted => "stored (new week)",
                WeeklyUpsertOutcome.Updated => $"stored as revision {stored.Upsert.Stored.Revision}: {WeeklyFlowStore.DescribeChanges(stored.Upsert.Previous!, stored.Upsert.Stored)}",
                _ => "unchanged (already stored)",
            };
            await output.WriteLineAsync($"{what}; evaluation {(stored.Run.EvaluationEnqueued ? "requested" : "not needed")}").ConfigureAwait(false);
        }

        return stored.Run.Outcome is Tapewatch.Infrastructure.Ingestion.RunOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> FailAsync(Request request, TextWriter output, TextWriter error, string message)
    {
        if (request.Json) await output.WriteLineAsync(JsonSerializer.Serialize(new IngestWeeklyFlowsFailure(message), ApiJson.Options)).ConfigureAwait(false);
        await error.WriteLineAsync($"error: {message.TrimEnd('.')}; nothing stored").ConfigureAwait(false);
        return ExitCodes.Failed;
    }

    private static string Describe(WeeklyFundFlow week, string? title)
    {
        static string Usd(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"report:    {title ?? "(untitled)"}",
            $"week:      Mon {week.WeekEnding.AddDays(-4):yyyy-MM-dd} – Fri {week.WeekEnding:yyyy-MM-dd} (published {week.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?"})",
            $"total:     {Usd(week.TotalUsd)} USD",
        };
        if (week.AumUsd is { } aum) lines.Add($"AuM:       {Usd(aum)} USD");
        lines.AddRange(week.Assets.Select(a => $"asset:     {a.Key,-14} {Usd(a.Value),16} USD"));
        lines.AddRange(week.Regions.Select(r => $"region:    {r.Key,-14} {Usd(r.Value),16} USD"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>What <c>ingest weekly-flows --json</c> prints when nothing was stored.</summary>
internal sealed record IngestWeeklyFlowsFailure(string Error);
