using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/regime/history?from&amp;to — one compact row per evaluated session (default the last 90 days, at most 800).</summary>
public sealed class RegimeHistoryEndpoint(EvaluationStore store, TimeProvider time) : IApiEndpoint
{
    public const int DefaultDays = 90;
    public const int MaxDays = 800;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryGetRange(request, time, DefaultDays, MaxDays, out var from, out var to, out var problem)) return problem!;
        var history = await store.GetHistoryAsync(from, to, cancellationToken).ConfigureAwait(false);
        return Problems.Ok(new
        {
            from,
            to,
            evaluations = history.Select(e => new
            {
                e.AsOfSession,
                e.Regime,
                e.Provisional,
                e.Headline,
                e.SessionTotalUsdM,
                Scenarios = e.Scenarios.ToDictionary(s => Backtest.Key(s.Scenario), s => new
                {
                    s.Status,
                    s.StreakLength,
                    s.StreakTarget,
                    s.StreakUnknown,
                    s.EpisodeStart,
                }),
                Signals = e.Signals.ToDictionary(s => s.Id, s => s.Active),
                e.EvaluatedUtc,
            }),
        });
    }
}
