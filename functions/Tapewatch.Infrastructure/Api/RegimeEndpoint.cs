using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// GET /api/regime — the current evaluation (regime, headline, scenarios with their evidence, signals, freshness). Reads
/// at most one table entity, and serves it from a short in-memory cache (<see cref="CacheSetting"/>, default
/// <see cref="DefaultCacheMilliseconds"/> ms; 0 = off) that a save by the evaluator in this process invalidates.
/// </summary>
public sealed class RegimeEndpoint(EvaluationStore store, IConfiguration configuration) : IApiEndpoint
{
    public const string CacheSetting = "Tapewatch:Api:RegimeCacheMilliseconds";
    public const int DefaultCacheMilliseconds = 1000;
    public const int MaxCacheMilliseconds = 60_000;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryRejectUnknown(request, [], out var problem)) return problem!;
        var json = await store.GetCurrentJsonUtf8Async(CacheDuration(configuration), cancellationToken).ConfigureAwait(false);
        if (json is null) return Problems.NotFound("No evaluation has been stored yet: ingest ETF flows, or POST /api/evaluations.");
        return Results.Bytes(json, "application/json; charset=utf-8");
    }

    public static TimeSpan CacheDuration(IConfiguration configuration) =>
        TimeSpan.FromMilliseconds(int.TryParse(configuration[CacheSetting], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? Math.Clamp(ms, 0, MaxCacheMilliseconds)
            : DefaultCacheMilliseconds);
}
