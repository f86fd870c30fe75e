using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Http;
using Tapewatch.Core.Storage;

namespace Tapewatch.Core.Rules.Api;

/// <summary>GET /api/regime — the current evaluation (regime, headline, scenarios with their evidence, signals, freshness). Reads one table entity.</summary>
[ApiRoute("GET", "regime", ApiAccess.Function)]
public sealed class RegimeEndpoint(EvaluationStore store) : IApiEndpoint
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryRejectUnknown(request, [], out var problem)) return problem!;
        var json = await store.GetCurrentJsonAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(json)) return Problems.NotFound("No evaluation has been stored yet: ingest ETF flows, or POST /api/evaluations.");
        return Results.Text(json, "application/json; charset=utf-8");
    }
}
