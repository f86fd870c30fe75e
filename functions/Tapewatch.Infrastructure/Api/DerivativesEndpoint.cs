using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/derivatives?from&amp;to — daily derivatives readings (basis, funding, open interest; default 30 days, at most 800).</summary>
public sealed class DerivativesEndpoint(DerivativesDailyStore derivatives, TimeProvider time) : IApiEndpoint
{
    public const int DefaultDays = 30;
    public const int MaxDays = 800;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryGetRange(request, time, DefaultDays, MaxDays, out var from, out var to, out var problem)) return problem!;
        var rows = await derivatives.GetRangeAsync(from, to, cancellationToken).ConfigureAwait(false);
        return Problems.Ok(new DerivativesResponse(from, to, rows));
    }
}

/// <summary>The body of GET /api/derivatives.</summary>
public sealed record DerivativesResponse(DateOnly From, DateOnly To, IReadOnlyList<DerivativesDaily> Readings);
