using Azure;
using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// POST /api/fund-flows/weekly (admin) — the manual fallback when the feed cannot be read: stores one
/// week like the feed would (revision on change, evaluation only on change, run recorded).
/// 201 when new, 200 when changed or unchanged; 400 problem+json naming the field; 413 above 16 KB.
/// </summary>
public sealed class WeeklyFlowsEndpoint(WeeklyFlowIngestion ingestion, TimeProvider time) : IApiEndpoint
{
    public const int MaxBodyBytes = 16 * 1024;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes) return Problems.PayloadTooLarge(MaxBodyBytes);
        if (request.ContentType is { Length: > 0 } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the week as application/json.", "Content-Type");
        }

        var body = await CappedBody.ReadAsync(request.Body, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.PayloadTooLarge(MaxBodyBytes);
        if (body.Length == 0) return Problems.BadRequest("body", "The body is empty; send the week as JSON.");

        var started = time.GetUtcNow();
        var week = WeeklyManualEntry.Parse(body, DateOnly.FromDateTime(started.UtcDateTime), out var field, out var detail);
        if (week is null) return Problems.BadRequest(field ?? "body", detail ?? "Invalid week.");

        try
        {
            var stored = await ingestion.StoreAsync(week, started, cancellationToken).ConfigureAwait(false);
            var response = new WeeklyFlowStoredResponse(
                stored.Upsert.Outcome.ToString().ToLowerInvariant(),
                stored.Upsert.Stored.Revision,
                stored.Run.EvaluationEnqueued,
                WeeklyFlowJson.From(stored.Upsert.Stored));
            return TypedResults.Json(
                response,
                ApiJson.Options,
                statusCode: stored.Upsert.Outcome == WeeklyUpsertOutcome.Inserted ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
        catch (RequestFailedException ex)
        {
            return Problems.Unavailable($"Storage is unavailable ({ex.Status}); nothing was stored.");
        }
    }
}

/// <summary>The body of POST /api/fund-flows/weekly: "inserted", "updated" or "unchanged", and the week as stored.</summary>
public sealed record WeeklyFlowStoredResponse(string Outcome, int Revision, bool EvaluationEnqueued, WeeklyFlowJson Week);
