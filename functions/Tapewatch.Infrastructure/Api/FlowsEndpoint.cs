using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Flows;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/flows?from&amp;to — ETF sessions with per-fund detail (null = not reported) and status (default 30 days, at most 800).</summary>
public sealed class FlowsEndpoint(EtfSessionStore sessions, TimeProvider time) : IApiEndpoint
{
    public const int DefaultDays = 30;
    public const int MaxDays = 800;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryGetRange(request, time, DefaultDays, MaxDays, out var from, out var to, out var problem)) return problem!;
        var rows = await sessions.GetRangeAsync(from, to, cancellationToken).ConfigureAwait(false);
        return Problems.Ok(new
        {
            from,
            to,
            unit = "USD millions",
            attribution = "Farside Investors (farside.co.uk) where the source is farside",
            sessions = rows.Select(s => new
            {
                s.Date,
                TotalUsdM = s.TotalUsdM,
                s.Status,
                s.Source,
                s.Funds,
                PendingFunds = s.PendingFunds.ToList(),
                s.Revision,
                FirstSeenUtc = s.FirstSeenUtc == default ? (DateTimeOffset?)null : s.FirstSeenUtc,
                LastChangedUtc = s.LastChangedUtc == default ? (DateTimeOffset?)null : s.LastChangedUtc,
            }),
        });
    }
}
