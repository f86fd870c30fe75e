using System.CommandLine;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Local.Commands;

/// <summary><c>regime [--json]</c>: the current evaluation, as a table or exactly the JSON of GET /api/regime.</summary>
internal static class RegimeCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the JSON that GET /api/regime returns" };
        var storage = StorageOptionsFlags.Storage();
        var data = StorageOptionsFlags.Data();
        var command = new Command("regime", "Show the current regime: scenarios, status, progress and the evidence") { json, storage, data };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(json), parse.GetValue(storage), parse.GetValue(data), Console.Out, Console.Error, ct));
        return command;
    }

    internal static async Task<int> RunAsync(bool json, string? storageFlag, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var services = await CommandServices.OpenAsync(storageFlag, data, error, error, ct).ConfigureAwait(false);
        if (services is null) return ExitCodes.Configuration;
        var store = services.Get<EvaluationStore>();
        if (json)
        {
            var text = await store.GetCurrentJsonAsync(ct).ConfigureAwait(false);
            if (text is null)
            {
                error.WriteLine("regime: no evaluation yet (ingest ETF flows, or run './tapewatch evaluate')");
                return ExitCodes.Failed;
            }

            output.WriteLine(text);
            return ExitCodes.Ok;
        }

        var current = await store.GetCurrentAsync(ct).ConfigureAwait(false);
        if (current is null)
        {
            error.WriteLine("regime: no evaluation yet (ingest ETF flows, or run './tapewatch evaluate')");
            return ExitCodes.Failed;
        }

        output.Write(RegimeTable.Render(current.Value.Evaluation));
        return ExitCodes.Ok;
    }
}
