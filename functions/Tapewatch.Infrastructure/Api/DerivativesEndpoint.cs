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

    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ApiQuery.RangeAsync(request, time, DefaultDays, MaxDays, derivatives.GetRangeAsync, static (from, to, rows) => new DerivativesResponse(from, to, rows), cancellationToken);
}

/// <summary>The body of GET /api/derivatives.</summary>
public sealed record DerivativesResponse(DateOnly From, DateOnly To, IReadOnlyList<DerivativesDaily> Readings);
