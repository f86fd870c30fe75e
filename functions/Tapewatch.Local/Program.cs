using System.CommandLine;
using Tapewatch.Local.Commands;

var root = new RootCommand("Tapewatch: the US spot Bitcoin ETF tape, CoinShares weekly flows and the derivatives state, turned into a regime.")
{
    RunCommand.Create(),
    new Command("ingest", "Import data from saved files") { IngestWeeklyFlowsCommand.Create() }, // temporary parent until Commands/IngestCommand.cs lands
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
