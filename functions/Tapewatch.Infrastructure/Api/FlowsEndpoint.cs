using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Flows;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/flows?from&amp;to — ETF sessions with per-fund detail (null = not reported) and status (default 30 days, at most 800).</summary>
public sealed class FlowsEndpoint(EtfSessionStore sessions, TimeProvider time) : IApiEndpoint
{
    public const int DefaultDays = 30;
    public const int MaxDays = 800;

    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ApiQuery.RangeAsync(request, time, DefaultDays, MaxDays, sessions.GetRangeAsync, Respond, cancellationToken);

    private static FlowsResponse Respond(DateOnly from, DateOnly to, IReadOnlyList<EtfSession> rows) =>
        new(from, to, "USD millions", "Farside Investors (farside.co.uk) where the source is farside", [.. rows.Select(FlowsSession.From)]);
}

/// <summary>The body of GET /api/flows.</summary>
public sealed record FlowsResponse(DateOnly From, DateOnly To, string Unit, string Attribution, IReadOnlyList<FlowsSession> Sessions);

/// <summary>One session of GET /api/flows; the first-seen and last-changed times are absent when not recorded.</summary>
public sealed record FlowsSession(
    DateOnly Date,
    decimal TotalUsdM,
    SessionStatus Status,
    string Source,
    IReadOnlyDictionary<string, decimal?> Funds,
    IReadOnlyList<string> PendingFunds,
    int Revision,
    DateTimeOffset? FirstSeenUtc,
    DateTimeOffset? LastChangedUtc)
{
    public static FlowsSession From(EtfSession s) => new(
        s.Date,
        s.TotalUsdM,
        s.Status,
        s.Source,
        s.Funds,
        [.. s.PendingFunds],
        s.Revision,
        s.FirstSeenUtc == default ? null : s.FirstSeenUtc,
        s.LastChangedUtc == default ? null : s.LastChangedUtc);
}
