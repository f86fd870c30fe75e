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

    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ApiQuery.RangeAsync(request, time, DefaultDays, MaxDays, store.GetHistoryAsync, static (from, to, history) => new RegimeHistoryResponse(from, to, [.. history.Select(RegimeHistoryRow.From)]), cancellationToken);
}

/// <summary>The body of GET /api/regime/history.</summary>
public sealed record RegimeHistoryResponse(DateOnly From, DateOnly To, IReadOnlyList<RegimeHistoryRow> Evaluations);

/// <summary>One evaluated session: scenarios by key ("rebuild", "caution", "snapback"), signals by id (null = unknown).</summary>
public sealed record RegimeHistoryRow(
    DateOnly AsOfSession,
    Regime Regime,
    bool Provisional,
    string Headline,
    decimal? SessionTotalUsdM,
    IReadOnlyDictionary<string, RegimeHistoryScenario> Scenarios,
    IReadOnlyDictionary<string, bool?> Signals,
    DateTimeOffset EvaluatedUtc)
{
    public static RegimeHistoryRow From(RegimeEvaluation e) => new(
        e.AsOfSession,
        e.Regime,
        e.Provisional,
        e.Headline,
        e.SessionTotalUsdM,
        e.Scenarios.ToDictionary(s => Backtest.Key(s.Scenario), RegimeHistoryScenario.From),
        e.Signals.ToDictionary(s => s.Id, s => s.Active),
        e.EvaluatedUtc);
}

public sealed record RegimeHistoryScenario(ScenarioStatus Status, int StreakLength, int StreakTarget, bool StreakUnknown, DateOnly? EpisodeStart)
{
    public static RegimeHistoryScenario From(ScenarioResult s) => new(s.Status, s.StreakLength, s.StreakTarget, s.StreakUnknown, s.EpisodeStart);
}
