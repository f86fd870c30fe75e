using Microsoft.Azure.Functions.Worker;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;

namespace Tapewatch.Functions.Triggers;

/// <summary>ETF flows ingestion on the UTC NCRONTAB schedule in app setting EtfFlowsSchedule (never on startup).</summary>
public sealed class EtfFlowsTimerFunction(EtfFlowsIngestionJob job)
{
    [Function("EtfFlows")]
    public Task Run([TimerTrigger("%EtfFlowsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
