using System.CommandLine;
using Tapewatch.Local.Demo;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary><c>demo</c>: the whole pipeline on a bundled, labelled sample, fully offline; then serves the API and dashboard.</summary>
internal static class DemoCommand
{
    /// <summary>Just after the sample's last session (Fri 21 Nov 2025) has become final.</summary>
    public static readonly DateTimeOffset SampleEnd = new(2025, 11, 22, 16, 0, 0, TimeSpan.Zero);

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on localhost", DefaultValueFactory = _ => 7071 };
        var once = new Option<bool>("--once") { Description = "Replay, print the regime and exit (do not serve)" };
        var outbox = new Option<string>("--outbox") { Description = "Folder the demo's alerts are written to", DefaultValueFactory = _ => "outbox" };
        var command = new Command("demo", "Replay a bundled SAMPLE (Oct–Nov 2025 ETF flows, one CoinShares week, illustrative derivatives) through the real pipeline offline, then serve the API and dashboard")
        {
            port, once, outbox,
        };
        command.SetAction(async (parse, ct) =>
        {
            var clock = new DemoClock(SampleEnd);
            var options = new LocalHostOptions
            {
                Port = parse.GetValue(port),
                Once = parse.GetValue(once),
                WriteStateFile = true,
                Time = clock,
                Replay = new DemoReplay(clock).RunAsync,
                Settings = Settings(Path.GetFullPath(parse.GetValue(outbox)!)),
            };
            return await new LocalHost(options, Console.Out, Console.Error).RunAsync(ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Offline (no job runs: the replay replaces the start-up cycle and the scheduler); alerts go to the outbox folder.</summary>
    internal static Dictionary<string, string?> Settings(string outbox) => new()
    {
        ["Tapewatch:Alerts:Outbox:Directory"] = outbox,
        ["Logging:LogLevel:Tapewatch"] = "Warning",
    };
}
