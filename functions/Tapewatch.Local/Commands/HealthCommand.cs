using System.CommandLine;
using System.Text.Json;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary><c>health [--json]</c>: what GET /api/health reports (storage, last run per source, queue depths).</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the JSON that GET /api/health returns" };
        var storage = StorageOptionsFlags.Storage();
        var data = StorageOptionsFlags.Data();
        var command = new Command("health", "Show storage reachability, the last ingestion run per source and the queue depths; exit 1 when storage is unavailable") { json, storage, data };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CommandServices.OpenAsync(parse.GetValue(storage), parse.GetValue(data), Console.Error, Console.Error, ct).ConfigureAwait(false);
            if (services is null) return ExitCodes.Configuration;
            var report = await services.Get<HealthService>().CheckAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, ApiJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteLineAsync($"health: {report.Status} (storage {report.Storage.Status}{(report.Storage.Error is { } e ? ": " + e : "")})").ConfigureAwait(false);
                foreach (var run in report.Ingestion.OrderBy(r => r.Dataset, StringComparer.Ordinal))
                {
                    await Console.Out.WriteLineAsync($"  {run.Dataset,-22} {run.FinishedUtc:yyyy-MM-dd HH:mm}Z  {LocalHost.Describe(run)}").ConfigureAwait(false);
                }

                if (report.EvaluationQueue is { } q)
                {
                    await Console.Out.WriteLineAsync($"  queue {q.Name}: {q.ApproximateDepth} waiting, {q.PoisonDepth} poisoned").ConfigureAwait(false);
                }
            }

            return report.Status == "unavailable" ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }
}
