using System.CommandLine;

namespace Tapewatch.Local.Commands;

/// <summary><c>ingest &lt;dataset&gt;</c>: fetch one dataset now and store what changed. One line per dataset.</summary>
internal static class IngestCommand
{
    public static Command Create() => new("ingest", "Fetch a dataset now (or import a file) and store what changed")
    {
        IngestEtfFlowsCommand.Create(),
        IngestDerivativesCommand.Create(),
        IngestWeeklyFlowsCommand.Create(),
    };
}
