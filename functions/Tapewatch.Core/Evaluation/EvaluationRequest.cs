using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using Tapewatch.Core.Storage;

namespace Tapewatch.Core.Evaluation;

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
public sealed class EvaluationQueue(TapewatchStorage storage, TimeProvider time)
{
    public async Task EnqueueAsync(string reason, DateOnly? changedFrom, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
        var request = new EvaluationRequest { Reason = reason, ChangedFrom = changedFrom, RequestedUtc = time.GetUtcNow() };
        await queue.SendMessageAsync(request.ToJson(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<QueueClient> ClientAsync(CancellationToken cancellationToken) =>
        await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
}
