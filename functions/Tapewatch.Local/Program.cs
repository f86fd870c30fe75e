using System.CommandLine;
using Tapewatch.Local.Commands;

var root = new RootCommand("Tapewatch: the US spot Bitcoin ETF tape, CoinShares weekly flows and the derivatives state, turned into a regime.")
{
    RunCommand.Create(),
    BacktestCommand.Create(),
    IngestCommand.Create(),
    EvaluateCommand.Create(),
    RegimeCommand.Create(),
    HealthCommand.Create(),
    DemoCommand.Create(),
    SilenceCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
