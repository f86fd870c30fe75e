using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Functions.Triggers;

// The timer and queue triggers: schedules and the queue name are %AppSetting% references; each calls one job or service.

/// <summary>ETF flows ingestion on the UTC NCRONTAB schedule in app setting EtfFlowsSchedule (never on startup).</summary>
public sealed class EtfFlowsTimerFunction(EtfFlowsIngestionJob job)
{
    [Function("EtfFlows")]
    public Task Run([TimerTrigger("%EtfFlowsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}

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

/// <summary>CoinShares weekly flows, the Monday timer (schedule in app setting WeeklyFlowsSchedule, UTC).</summary>
public sealed class WeeklyFlowsTimerFunction(WeeklyFlowsIngestionJob job)
{
    [Function("WeeklyFlowsTimer")]
    public Task Run([TimerTrigger("%WeeklyFlowsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}

/// <summary>
/// Evaluates the scenarios for each request on the evaluation queue (<c>%EvaluationQueueName%</c>; host.json:
/// batchSize 1, visibilityTimeout 30 s, maxDequeueCount 5 then <c>&lt;queue&gt;-poison</c>). A malformed message
/// throws before anything is written; a listener failure throws so the message is retried.
/// </summary>
public sealed class EvaluatorFunction(EvaluationService evaluations)
{
    [Function("Evaluator")]
    public Task Run([QueueTrigger("%EvaluationQueueName%")] string message, CancellationToken cancellationToken) =>
        evaluations.HandleMessageAsync(message, cancellationToken);
}
