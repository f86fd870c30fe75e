using Microsoft.Azure.Functions.Worker;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.Functions.Triggers;

/// <summary>Hourly derivatives reading (UTC NCRONTAB in app setting DerivativesSchedule).</summary>
public sealed class DerivativesHourlyFunction(DerivativesHourlyJob job)
{
    [Function("DerivativesHourly")]
    public Task Run([TimerTrigger("%DerivativesSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}

/// <summary>Daily snapshot after the US close, EST and EDT (UTC NCRONTAB in app setting DerivativesCloseSchedule).</summary>
public sealed class DerivativesCloseFunction(DerivativesCloseJob job)
{
    [Function("DerivativesClose")]
    public Task Run([TimerTrigger("%DerivativesCloseSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
