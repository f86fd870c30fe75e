using System.CommandLine;
using Tapewatch.Local.Commands;

var root = new RootCommand("Tapewatch: the US spot Bitcoin ETF tape, CoinShares weekly flows and the derivatives state, turned into a regime.")
{
    RunCommand.Create(),
    BacktestCommand.Create(),

    // Temporary parent until Commands/IngestCommand.cs (another branch) lands: the lead merges this into it.
    new Command("ingest", "Ingest one dataset now") { IngestDerivativesCommand.Create() },
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
