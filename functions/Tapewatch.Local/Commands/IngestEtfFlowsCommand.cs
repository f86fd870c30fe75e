using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Time;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>ingest etf-flows [--source farside|sosovalue] [--file PATH] [--from D] [--to D] [--dry-run] [--json]</c>.
/// With --dry-run nothing touches storage (none needs to be configured).
/// </summary>
internal static class IngestEtfFlowsCommand
{
    public static Command Create()
    {
        var source = new Option<string?>("--source") { Description = "Ask only this source: farside or sosovalue (default: Tapewatch:Flows:Sources in order, with fail-over)" };
        var file = new Option<string?>("--file") { Description = "Import a saved Farside page (.html) or a flows CSV (date,<funds…>,Total) instead of fetching" };
        var from = new Option<string?>("--from") { Description = "First session date (yyyy-MM-dd) to backfill or import (default: the sessions since the last final one)" };
        var to = new Option<string?>("--to") { Description = "Last session date (yyyy-MM-dd; default: today in New York)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the parsed sessions; write nothing (no storage needed)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output on stdout" };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString, else a private Azurite)" };
        var data = new Option<string?>("--data") { Description = "Folder for the private Azurite's data (default: in-memory, discarded on exit)" };
        var command = new Command("etf-flows", "Fetch the US spot BTC ETF daily flows (or import a file), reconcile with storage and store what changed")
        {
            source, file, from, to, dryRun, json, storage, data,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new Request(
                parse.GetValue(source),
                parse.GetValue(file),
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(dryRun),
                parse.GetValue(json),
                parse.GetValue(storage),
                parse.GetValue(data));
            return await RunAsync(request, Console.Out, Console.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal sealed record Request(string? Source, string? File, string? From, string? To, bool DryRun, bool Json, string? Storage = null, string? Data = null);

    internal static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Source is { } s && !EtfFlowSourceNames.Remote.Contains(s.ToLowerInvariant()))
        {
            return Usage(error, $"--source must be one of: {string.Join(", ", EtfFlowSourceNames.Remote)}");
        }

        if (request.Source is not null && request.File is not null) return Usage(error, "--source and --file cannot be combined");
        if (!TryDate(request.From, out var from)) return Usage(error, "--from must be a date in yyyy-MM-dd form");
        if (!TryDate(request.To, out var to)) return Usage(error, "--to must be a date in yyyy-MM-dd form");
        if (from is not null && to is not null && from > to) return Usage(error, "--to is before --from");
        if (request.File is not null && !File.Exists(request.File)) return Usage(error, $"--file: {request.File} does not exist");
        if (request.File is not null && EtfFlowFile.FormatOf(request.File) is null) return Usage(error, "--file must be a saved Farside page (.html/.htm) or a CSV (.csv)");

        var flags = new Dictionary<string, string?> { [LocalStorage.ConnectionStringKey] = request.Storage };
        var configuration = LocalConfiguration.Build(flags);
        var status = request.Json ? error : output;

        if (request.DryRun)
        {
            if (request.File is not null)
            {
                // A file needs no source and no storage: the flows settings, the clock and the calendar, without a container.
                var file = new FileDryRunServices(new ServiceCollection().AddClockAndCalendar(configuration).AddFlowsSettings(configuration));
                try
                {
                    _ = file.Flows;
                }
                catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
                {
                    error.WriteLine(message);
                    return ExitCodes.Configuration;
                }

                return await DryRunAsync(file, request, from, to, output, error, cancellationToken).ConfigureAwait(false);
            }

            await using var services = CommandServices.Build(configuration);
            if (!TryValidate(services, error)) return ExitCodes.Configuration;
            return await DryRunAsync(services, request, from, to, output, error, cancellationToken).ConfigureAwait(false);
        }

        var lease = await LocalStorage.TryOpenAsync(flags, request.Data, status, error, cancellationToken).ConfigureAwait(false);
        if (lease is null) return ExitCodes.Configuration;

        await using (lease.ConfigureAwait(false))
        {
            await using var services = CommandServices.Build(lease.Configuration);
            if (!TryValidate(services, error)) return ExitCodes.Configuration;
            var ingestion = services.GetRequiredService<EtfFlowsIngestionService>();
            EtfFlowsIngestionResult result;
            await using (request.Json ? null : TerminalProgress.Start(request.File is not null ? $"importing {Path.GetFileName(request.File)}" : from is not null ? "backfilling ETF flows" : "fetching ETF flows"))
            {
                if (request.File is not null)
                {
                    var parsed = await EtfFlowFile.ReadAsync(request.File, cancellationToken).ConfigureAwait(false);
                    result = await ingestion.ImportAsync(parsed, from, to, cancellationToken).ConfigureAwait(false);
                }
                else if (from is not null)
                {
                    var today = NewYorkTime.DateOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
                    result = await ingestion.BackfillAsync(from.Value, to ?? today, request.Source?.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    result = await ingestion.RunScheduledAsync(request.Source?.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
                }
            }

            Print(result, request.Json, output);
            return result.Run.Outcome == RunOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }

    /// <summary>
    /// What a dry run of a file resolves, as the container would from these registrations (<see cref="RegisteredOptions"/>):
    /// the clock, the session status policy and the calendar (the factories of AddFlowsSettings and AddClockAndCalendar).
    /// </summary>
    private sealed class FileDryRunServices(IServiceCollection registrations) : IServiceProvider
    {
        private FlowsOptions? _flows;

        /// <exception cref="OptionsValidationException">The flows settings are invalid.</exception>
        public FlowsOptions Flows => _flows ??= RegisteredOptions.Create<FlowsOptions>(registrations);

        public object? GetService(Type serviceType) =>
            serviceType == typeof(TimeProvider) ? TimeProvider.System
            : serviceType == typeof(SessionStatusPolicy) ? new SessionStatusPolicy(Flows)
            : serviceType == typeof(TradingCalendar) ? new TradingCalendar(RegisteredOptions.Create<CalendarOptions>(registrations))
            : null;
    }

    private static async Task<int> DryRunAsync(IServiceProvider services, Request request, DateOnly? from, DateOnly? to, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        EtfFlowFetch fetch;
        if (request.File is not null)
        {
            fetch = EtfFlowFile.Read(request.File); // one local file in a one-shot command: no thread pool
        }
        else
        {
            var today = NewYorkTime.DateOf(time.GetUtcNow());
            var query = new EtfFlowQuery(from ?? today.AddDays(-services.GetRequiredService<IOptions<FlowsOptions>>().Value.Farside.RecentDays), to ?? today);
            var attempts = await services.GetRequiredService<EtfFlowSourceChain>().FetchAsync(query, request.Source?.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
            foreach (var failed in attempts.Where(a => a.Outcome != SourceOutcome.Ok)) error.WriteLine(failed.ToString());
            fetch = attempts.LastOrDefault(a => a.Outcome == SourceOutcome.Ok) ?? attempts.LastOrDefault() ?? EtfFlowFetch.Fail("none", SourceOutcome.Failed, "no source is configured");
            (from, to) = (query.From, query.To);
        }

        if (fetch.Outcome != SourceOutcome.Ok)
        {
            error.WriteLine(request.File is null ? "error: no source answered (reasons above)" : $"error: {fetch}");
            return ExitCodes.Failed;
        }

        foreach (var warning in fetch.Warnings) error.WriteLine($"warning: {warning}");
        var plan = EtfFlowsIngestionService.DryRun(fetch, services.GetRequiredService<SessionStatusPolicy>(), time.GetUtcNow(), services.GetRequiredService<TradingCalendar>(), from, to);
        foreach (var warning in plan.Warnings) error.WriteLine($"warning: {warning}");
        if (request.Json)
        {
            output.WriteLine(EtfSessionView.Serialize(plan.Sessions));
            return ExitCodes.Ok;
        }

        output.WriteLine($"{fetch.Source}: {plan.Sessions.Count} sessions (dry run, nothing stored)");
        output.WriteLine($"{"date",-10}  {"total",9}  {"status",-11}  pending");
        foreach (var s in plan.Sessions)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Session.Date:yyyy-MM-dd}  {s.Session.TotalUsdM,9:0.0}  {s.Session.Status,-11}  {string.Join(",", s.LateFunds)}"));
        }

        if (plan.NotSessions.Count > 0)
        {
            output.WriteLine("not sessions (every fund '-': holiday or pending): " + string.Join(", ", plan.NotSessions.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        return ExitCodes.Ok;
    }

    private static void Print(EtfFlowsIngestionResult result, bool json, TextWriter output)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(EtfFlowsRunSummary.From(result), EtfSessionView.Json));
            return;
        }

        var run = result.Run;
        foreach (var attempt in result.Attempts.Where(a => a.Outcome != SourceOutcome.Ok)) output.WriteLine(attempt.ToString());
        if (result.UpToDate)
        {
            output.WriteLine("etf-flows: up to date (no session missing or provisional); nothing fetched");
        }
        else if (run.Outcome == RunOutcome.Succeeded)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"etf-flows from {run.Source}: {run.Inserted} new, {run.Updated} changed, {run.Unchanged} unchanged{(result.ChangedFrom is { } d ? $"; evaluation requested from {d:yyyy-MM-dd}" : "")}"));
        }
        else
        {
            output.WriteLine($"etf-flows: {run.Outcome}: {run.Error}");
        }

        foreach (var warning in result.Warnings) output.WriteLine($"warning: {warning}");
    }


    private static bool TryValidate(ServiceProvider services, TextWriter error)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<FlowsOptions>>().Value;
            return true;
        }
        catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
        {
            error.WriteLine(message);
            return false;
        }
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (text is null) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }
}
