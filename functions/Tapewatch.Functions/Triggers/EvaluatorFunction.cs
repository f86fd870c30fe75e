using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Functions.Triggers;

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
