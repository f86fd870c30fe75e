using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/fund-flows/weekly?from&amp;to — CoinShares weeks by week-ending Friday (default 182 days, at most 1,200). Money in whole USD.</summary>
public sealed class WeeklyFundFlowsEndpoint(WeeklyFlowStore weeks, TimeProvider time) : IApiEndpoint
{
    public const int DefaultDays = 182;
    public const int MaxDays = 1200;

    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ApiQuery.RangeAsync(request, time, DefaultDays, MaxDays, weeks.GetRangeAsync, static (from, to, rows) => new WeeklyFundFlowsResponse(from, to, "USD", rows), cancellationToken);
}

/// <summary>The body of GET /api/fund-flows/weekly.</summary>
public sealed record WeeklyFundFlowsResponse(DateOnly From, DateOnly To, string Unit, IReadOnlyList<WeeklyFundFlow> Weeks);
