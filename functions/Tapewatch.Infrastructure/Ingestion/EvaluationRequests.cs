using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Ingestion;

/// <summary>A request to (re-)evaluate the scenarios; duplicates and reordering are harmless.</summary>
public sealed record EvaluationRequest
{
    /// <summary>Which dataset changed ("etf-flows", "weekly-flows", "derivatives", "manual").</summary>
    public required string Reason { get; init; }

    /// <summary>The earliest session whose inputs changed; null = only the latest.</summary>
    public DateOnly? ChangedFrom { get; init; }

    public required DateTimeOffset RequestedUtc { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses a queue message; throws <see cref="FormatException"/> with a clear reason.</summary>
    public static EvaluationRequest Parse(string message)
    {
        try
        {
            var request = JsonSerializer.Deserialize<EvaluationRequest>(message, Json);
            return request ?? throw new FormatException("Evaluation request is empty.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Evaluation request is not valid JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>Enqueues evaluation requests on the evaluation queue (Base64, as the queue trigger expects).</summary>
public sealed class EvaluationQueue(TapewatchStorage storage, TimeProvider time) : IEvaluationRequests
{
    public async Task EnqueueAsync(string reason, DateOnly? changedFrom, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
        var request = new EvaluationRequest { Reason = reason, ChangedFrom = changedFrom, RequestedUtc = time.GetUtcNow() };
        await queue.SendMessageAsync(request.ToJson(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Enqueues a request that becomes visible only after <paramref name="delay"/> (a safety net written before a change is
    /// stored: if the process or storage fails between storing and the immediate request, the change is still evaluated).
    /// Cancel it with <see cref="CancelAsync"/> once the immediate request is queued.
    /// </summary>
    public async Task<EvaluationReceipt> EnqueueDelayedAsync(string reason, DateOnly? changedFrom, TimeSpan delay, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
        var request = new EvaluationRequest { Reason = reason, ChangedFrom = changedFrom, RequestedUtc = time.GetUtcNow() };
        var receipt = await queue.SendMessageAsync(request.ToJson(), visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EvaluationReceipt(receipt.Value.MessageId, receipt.Value.PopReceipt);
    }

    /// <summary>Deletes a delayed request before it becomes visible (best effort: a request left behind only re-evaluates).</summary>
    public async Task CancelAsync(EvaluationReceipt receipt, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
        await queue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    public async Task<QueueClient> ClientAsync(CancellationToken cancellationToken) =>
        await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
}

/// <summary>Identifies a queued (delayed) evaluation request so it can be cancelled.</summary>
public sealed record EvaluationReceipt(string MessageId, string PopReceipt);
