using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>Everything the page shows for one request.</summary>
public sealed record DashboardModel
{
    /// <summary>First and last New York date of the chart window (inclusive) and its length in calendar days.</summary>
    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public required int Days { get; init; }

    /// <summary>The current evaluation; null before the first one.</summary>
    public RegimeEvaluation? Evaluation { get; init; }

    /// <summary>The latest stored session in the window (per-fund breakdown).</summary>
    public EtfSession? LatestSession { get; init; }

    public required DashboardChartData Charts { get; init; }

    /// <summary>What followed each scenario on the stored history; null until there is enough of it.</summary>
    public DashboardEvidence? Evidence { get; init; }

    public required DateTimeOffset GeneratedUtc { get; init; }

    /// <summary>Window lengths offered as links (calendar days).</summary>
    public IReadOnlyList<int> WindowChoices { get; init; } = [30, 90, 180, 365];

    /// <summary>The function key the page was opened with (<c>?code=</c>), kept on the window links; null locally.</summary>
    public string? AccessCode { get; init; }

    /// <summary>Path of the asset route, ending in '/': e.g. "/api/dashboard/assets/".</summary>
    public string AssetBasePath { get; init; } = "/api/dashboard/assets/";
}

/// <summary>
/// Chart series, serialised into the page as JSON. Daily series are aligned on <see cref="Sessions"/>
/// (every NYSE session of the window, so a missing session shows as a gap, not a zero).
/// </summary>
public sealed record DashboardChartData
{
    /// <summary>Session dates, yyyy-MM-dd.</summary>
    public required IReadOnlyList<string> Sessions { get; init; }

    /// <summary>US spot BTC ETF total net flow, US$m; null = no data for that session.</summary>
    public required IReadOnlyList<decimal?> Flows { get; init; }

    public required IReadOnlyList<bool> Provisional { get; init; }

    /// <summary>Per session: "snapback", "rebuild", "caution" (part of a run that meets that trigger) or null.</summary>
    public required IReadOnlyList<string?> Streak { get; init; }

    /// <summary>Regime of each session's evaluation; null = not evaluated.</summary>
    public required IReadOnlyList<string?> Regimes { get; init; }

    public required IReadOnlyList<decimal?> Basis { get; init; }

    public required IReadOnlyList<decimal?> Funding { get; init; }

    public required IReadOnlyList<decimal?> OffshoreOpenInterest { get; init; }

    public required IReadOnlyList<decimal?> CmeOpenInterest { get; init; }

    /// <summary>Week-ending Fridays, yyyy-MM-dd.</summary>
    public required IReadOnlyList<string> Weeks { get; init; }

    /// <summary>US ETF weekly sum, US$m; null when a session of the week is missing.</summary>
    public required IReadOnlyList<decimal?> WeeksUsEtf { get; init; }

    /// <summary>True for a week still in progress at the window's end (sum to date).</summary>
    public required IReadOnlyList<bool> WeeksPartial { get; init; }

    /// <summary>CoinShares global weekly net flow, US$m; null when not reported.</summary>
    public required IReadOnlyList<decimal?> WeeksCoinShares { get; init; }

    public required ChartThresholds Thresholds { get; init; }

    /// <summary>True when any derivatives reading in the window is illustrative (sample) data.</summary>
    public bool DerivativesIllustrative { get; init; }
}

public sealed record ChartThresholds
{
    public required decimal RebuildSessionMin { get; init; }

    public required decimal SnapbackSessionMin { get; init; }

    public required int RebuildStreak { get; init; }

    public required int CautionStreak { get; init; }

    public required decimal BasisCautionMax { get; init; }

    public required decimal BasisRebuildMin { get; init; }

    public required decimal BasisSnapbackMin { get; init; }

    public required decimal FundingSubduedMax { get; init; }

    public required decimal FundingRiskMin { get; init; }
}
