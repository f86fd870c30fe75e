namespace Tapewatch.Core.Domain;

/// <summary>
/// The derivatives state snapshotted at the US close of one session: the reading the rules use.
/// Percentages are plain numbers (8.5 = 8.5 %). Null = not available.
/// </summary>
public sealed record DerivativesDaily
{
    public required DateOnly Session { get; init; }

    public required DateTimeOffset AsOfUtc { get; init; }

    /// <summary>Composite 3-month annualised basis, percent.</summary>
    public decimal? Basis3mAnnualizedPct { get; init; }

    /// <summary>OI-weighted composite perpetual funding, annualised percent.</summary>
    public decimal? FundingAnnualizedPct { get; init; }

    /// <summary>Offshore (non-CME) open interest total, BTC.</summary>
    public decimal? OffshoreOpenInterestBtc { get; init; }

    /// <summary>Change of offshore open interest over the last 5 sessions, percent.</summary>
    public decimal? OffshoreOpenInterestChange5SessionsPct { get; init; }

    /// <summary>CME open interest (all expiries, BTC) from the latest CFTC report.</summary>
    public decimal? CmeOpenInterestBtc { get; init; }

    /// <summary>Change of CME open interest between the last two CFTC reports, BTC.</summary>
    public decimal? CmeOpenInterestChangeBtc { get; init; }

    /// <summary>As-of date (Tuesday) of the latest CFTC report used.</summary>
    public DateOnly? CmeReportDate { get; init; }

    /// <summary>BTC/USD at the New York close.</summary>
    public decimal? BtcCloseUsd { get; init; }

    public IReadOnlyList<string> Venues { get; init; } = [];

    /// <summary>Offshore (non-CME) open interest total, whole USD.</summary>
    public decimal? OffshoreOpenInterestUsd { get; init; }

    /// <summary>Venues in the funding composite (a subset of <see cref="Venues"/>).</summary>
    public IReadOnlyList<string> FundingVenues { get; init; } = [];

    /// <summary>Venues in the basis composite.</summary>
    public IReadOnlyList<string> BasisVenues { get; init; } = [];

    /// <summary>Venues in the offshore open-interest total and its 5-session change.</summary>
    public IReadOnlyList<string> OpenInterestVenues { get; init; } = [];

    /// <summary>Labels illustrative (sample) data so it is never mistaken for a market reading.</summary>
    public bool Illustrative { get; init; }
}
