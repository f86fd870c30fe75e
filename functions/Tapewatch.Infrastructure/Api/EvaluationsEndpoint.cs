using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// POST /api/evaluations (admin) — enqueues an evaluation request and answers 202. Optional JSON body
/// <c>{"changedFrom":"yyyy-MM-dd"}</c> re-evaluates every session from that date.
/// </summary>
public sealed class EvaluationsEndpoint(EvaluationQueue queue, TapewatchStorage storage, TimeProvider time) : IApiEndpoint
{
    public const int MaxBodyBytes = 4096;

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryRejectUnknown(request, [], out var problem)) return problem!;
        if (request.ContentLength > MaxBodyBytes) return Problems.PayloadTooLarge(MaxBodyBytes);

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.PayloadTooLarge(MaxBodyBytes);

        DateOnly? changedFrom = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            if (request.ContentType is { } ct && !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The body must be application/json.", "body");
            }

            EvaluationBody? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<EvaluationBody>(body, BodyJson);
            }
            catch (JsonException ex)
            {
                var member = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
                return Problems.BadRequest(member.Length == 0 ? "body" : member, $"The body is not valid: {FirstSentence(ex.Message)} Expected {{\"changedFrom\":\"yyyy-MM-dd\"}} or no body.");
            }

            if (parsed?.ChangedFrom is { } raw)
            {
                if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return Problems.BadRequest("changedFrom", "'changedFrom' must be a date in yyyy-MM-dd form.");
                }

                var today = NewYorkTime.DateOf(time.GetUtcNow());
                if (d > today) return Problems.BadRequest("changedFrom", $"'changedFrom' ({d:yyyy-MM-dd}) is in the future.");
                if (d < today.AddDays(-EvaluationService.MaxBackfillDays))
                {
                    return Problems.BadRequest("changedFrom", $"'changedFrom' may go back at most {EvaluationService.MaxBackfillDays} days.");
                }

                changedFrom = d;
            }
        }

        await queue.EnqueueAsync("manual", changedFrom, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new EvaluationQueuedResponse(true, storage.EvaluationQueueName, changedFrom), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            total += read;
        }

        return total > MaxBodyBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }

    private sealed record EvaluationBody
    {
        public string? ChangedFrom { get; init; }
    }
}

/// <summary>The body of POST /api/evaluations (202).</summary>
public sealed record EvaluationQueuedResponse(bool Queued, string Queue, DateOnly? ChangedFrom);
