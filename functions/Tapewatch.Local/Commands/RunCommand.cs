using System.CommandLine;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

internal static class RunCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on localhost", DefaultValueFactory = _ => 7071 };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString, else a private Azurite)" };
        var data = new Option<string?>("--data") { Description = "Folder for Azurite's data (default: in-memory, lost on exit)" };
        var once = new Option<bool>("--once") { Description = "Run one ingest + evaluate cycle, print the result and exit" };
        var command = new Command("run", "Start the local host: storage, schedules, evaluation queue, API and dashboard on http://localhost:7071")
        {
            port, storage, data, once,
        };
        command.SetAction(async (parse, ct) =>
        {
            var p = parse.GetValue(port);
            if (p is < 1 or > 65535)
            {
                await Console.Error.WriteLineAsync("error: --port must be from 1 to 65535").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var options = new LocalHostOptions
            {
                Port = p,
                StorageConnectionString = parse.GetValue(storage),
                DataDirectory = parse.GetValue(data),
                Once = parse.GetValue(once),
            };
            return await new LocalHost(options with { WriteStateFile = true }, Console.Out, Console.Error).RunAsync(ct).ConfigureAwait(false);
        });
        return command;
    }
}
