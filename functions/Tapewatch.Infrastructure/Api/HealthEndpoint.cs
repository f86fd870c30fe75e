using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Health;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/health — anonymous: storage reachability, ingestion runs, queue depths.</summary>
public sealed class HealthEndpoint(HealthService health) : IApiEndpoint
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(report, ApiJson.Options, statusCode: report.Status == "unavailable" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
