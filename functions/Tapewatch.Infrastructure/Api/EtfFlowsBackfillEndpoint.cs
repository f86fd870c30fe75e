using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Time;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// POST /api/flows/backfill (admin). Either <c>?from=yyyy-MM-dd[&amp;to=…][&amp;source=farside|sosovalue]</c> to
/// backfill from the sources, or a body to import: a flows CSV (<c>Content-Type: text/csv</c>) or a saved
/// Farside page (<c>text/html</c>), optionally limited by from/to. Answers the run summary.
/// </summary>
public sealed class EtfFlowsBackfillEndpoint(EtfFlowsIngestionService service, EtfFlowSourceChain sources, IOptions<FlowsOptions> options, TimeProvider time) : IApiEndpoint
{
    private const int MaxRangeDays = 3660;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetDate(request, "from", out var from, out var problem)) return problem!;
        if (!QueryParameters.TryGetDate(request, "to", out var to, out problem)) return problem!;
        var source = request.Query["source"].ToString();
        if (source.Length > 0 && !sources.IsKnown(source))
        {
            return Problems.BadRequest("source", $"'source' must be one of: {string.Join(", ", EtfFlowSourceNames.Remote)}.");
        }

        var today = NewYorkTime.DateOf(time.GetUtcNow());
        if (to > today) return Problems.BadRequest("to", $"'to' is in the future (today in New York is {today:yyyy-MM-dd}).");
        if (from is not null && to is not null && from > to) return Problems.BadRequest("to", "'to' is before 'from'.");

        EtfFlowsIngestionResult result;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && !string.IsNullOrEmpty(request.ContentType));
        if (hasBody)
        {
            if (source.Length > 0) return Problems.BadRequest("source", "'source' cannot be combined with an uploaded body.");
            var format = FormatOf(request);
            if (format is null)
            {
                return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Upload a flows CSV (Content-Type: text/csv) or a saved Farside page (text/html).", "Content-Type");
            }

            var max = options.Value.MaxUploadBytes;
            if (request.ContentLength > max) return Problems.PayloadTooLarge(max);
            var bytes = await CappedBody.ReadAsync(request.Body, max, cancellationToken).ConfigureAwait(false);
            if (bytes is null) return Problems.PayloadTooLarge(max);
            var content = CappedBody.Decode(bytes);
            var parsed = EtfFlowFile.Parse(content, format.Value, "upload");
            if (parsed.Outcome != SourceOutcome.Ok)
            {
                await service.ImportAsync(parsed, from, to, cancellationToken).ConfigureAwait(false);
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, "Unreadable upload", parsed.Error ?? "The upload could not be read.", "body");
            }

            result = await service.ImportAsync(parsed, from, to, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (from is null) return Problems.BadRequest("from", "Give 'from' (yyyy-MM-dd) to backfill from the sources, or upload a flows CSV or a saved Farside page.");
            var end = to ?? today;
            if (from > end) return Problems.BadRequest("from", "'from' is after today.");
            if (end.DayNumber - from.Value.DayNumber > MaxRangeDays) return Problems.BadRequest("from", $"The range may span at most {MaxRangeDays} days.");
            result = await service.BackfillAsync(from.Value, end, source.Length > 0 ? source : null, cancellationToken).ConfigureAwait(false);
        }

        var run = result.Run;
        if (run.Outcome == RunOutcome.Succeeded) return Problems.Ok(EtfFlowsRunSummary.From(result));
        if (result.Attempts.Any(a => a.Outcome == SourceOutcome.Ok))
        {
            return Problems.Unavailable(run.Error ?? "Storage failed.");
        }

        return Problems.Create(StatusCodes.Status502BadGateway, "Source unavailable", run.Error ?? "Every source failed.");
    }

    private static EtfFlowFileFormat? FormatOf(HttpRequest request)
    {
        var type = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "text/csv" or "application/csv" => EtfFlowFileFormat.Csv,
            "text/html" or "application/xhtml+xml" => EtfFlowFileFormat.Html,
            _ => request.Query["format"].ToString().ToLowerInvariant() switch
            {
                "csv" => EtfFlowFileFormat.Csv,
                "html" => EtfFlowFileFormat.Html,
                _ => null,
            },
        };
    }
}

/// <summary>An ETF flows run as POST /api/flows/backfill and <c>./tapewatch ingest etf-flows --json</c> answer it.</summary>
public sealed record EtfFlowsRunSummary(
    string Outcome,
    string Source,
    int Fetched,
    int Inserted,
    int Updated,
    int Unchanged,
    string? ChangedFrom,
    bool EvaluationEnqueued,
    string? Note,
    IReadOnlyList<EtfFlowsAttemptSummary> Attempts,
    IReadOnlyList<string> Warnings)
{
    public static EtfFlowsRunSummary From(EtfFlowsIngestionResult result) => new(
        result.Run.Outcome.ToString(),
        result.Run.Source,
        result.Run.Fetched,
        result.Run.Inserted,
        result.Run.Updated,
        result.Run.Unchanged,
        result.ChangedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        result.Run.EvaluationEnqueued,
        result.Run.Error,
        [.. result.Attempts.Select(a => new EtfFlowsAttemptSummary(a.Source, a.Outcome.ToString(), a.Error))],
        result.Warnings);
}

/// <summary>One source asked during the run.</summary>
public sealed record EtfFlowsAttemptSummary(string Source, string Outcome, string? Error);
