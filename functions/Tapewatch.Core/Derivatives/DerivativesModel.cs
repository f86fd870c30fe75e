using System.Text.Json.Serialization;

namespace Tapewatch.Core.Derivatives;

/// <summary>How a venue fared in one collection.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VenueStatus>))]
public enum VenueStatus
{
    /// <summary>Everything the venue offers was read.</summary>
    Ok,

    /// <summary>Some parts (e.g. the basis) are missing; the rest is used.</summary>
    Partial,

    /// <summary>Refused us (HTTP 401/403/451): a configuration or region problem, not retried.</summary>
    Blocked,

    /// <summary>Answered something we could not understand.</summary>
    Malformed,

    /// <summary>Network error, timeout or 5xx after retries.</summary>
    Failed,

    /// <summary>Answered, but its data is too far from the reading's time to be combined.</summary>
    Stale,
}

/// <summary>A dated future's price, used for the basis.</summary>
public sealed record FuturesQuote(string Instrument, DateTimeOffset ExpiryUtc, decimal Price);

/// <summary>An open-interest observation in BTC at a time (for the 5-session change).</summary>
public sealed record OpenInterestPoint(DateTimeOffset AtUtc, decimal Btc);

/// <summary>Funding as the venue states it, before normalisation to 8 hours.</summary>
public sealed record FundingObservation(decimal Rate, TimeSpan Interval, DateTimeOffset AtUtc, string Basis);

/// <summary>
/// What one venue said, normalised: funding per 8h (fraction) and annualised (percent), open interest in BTC and
/// USD, its index price and its 3-month annualised basis (percent).
/// </summary>
public sealed record VenueReading
{
    public required string Venue { get; init; }

    /// <summary>Time of the venue's price/open-interest data (its own timestamp).</summary>
    public required DateTimeOffset AsOfUtc { get; init; }

    /// <summary>Funding per 8 hours as a fraction (0.0001 = 0.01 %).</summary>
    public decimal? FundingRate8h { get; init; }

    /// <summary>Funding annualised, percent (rate per 8h × 3 × 365 × 100).</summary>
    public decimal? FundingAnnualizedPct => FundingRate8h is { } r ? Math.Round(r * 3 * 365 * 100, 4) : null;

    /// <summary>When the funding rate applied (settlement time).</summary>
    public DateTimeOffset? FundingTimeUtc { get; init; }

    /// <summary>The venue's funding interval in hours (8 for most, 1 for Kraken).</summary>
    public decimal? FundingIntervalHours { get; init; }

    public decimal? OpenInterestBtc { get; init; }

    public decimal? OpenInterestUsd { get; init; }

    public decimal? IndexPriceUsd { get; init; }

    public decimal? Basis3mAnnualizedPct { get; init; }

    /// <summary>Which contracts the basis came from, e.g. "BTC-26DEC25 (81.0 d) ~ BTC-27MAR26 (172.0 d)".</summary>
    public string? BasisDetail { get; init; }

    /// <summary>Open-interest history the venue offers (not stored; used for the 5-session change).</summary>
    [JsonIgnore]
    public IReadOnlyList<OpenInterestPoint> OpenInterestHistory { get; init; } = [];

    /// <summary>What is missing or was rejected, and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when a part of the venue's data failed or was rejected (see <see cref="Notes"/>).</summary>
    public bool Partial { get; init; }

    /// <summary>An aggregate of other venues (Coinalyze): shown per venue, never in the composites (it would double count).</summary>
    public bool ReportedAlongside { get; init; }
}

/// <summary>One venue's outcome: a reading (possibly partial) or the reason it has none.</summary>
public sealed record VenueOutcome
{
    public required string Venue { get; init; }

    public required VenueStatus Status { get; init; }

    public string? Reason { get; init; }

    public VenueReading? Reading { get; init; }

    public bool Usable => Status is (VenueStatus.Ok or VenueStatus.Partial) && Reading is not null;
}

/// <summary>The 5-session change of offshore open interest, like for like (same venues at both ends).</summary>
public sealed record OpenInterestChange(decimal ChangePct, decimal FromBtc, decimal ToBtc, DateTimeOffset ReferenceUtc, IReadOnlyList<string> Venues);

/// <summary>The combined reading: per-venue outcomes and OI-weighted / averaged composites, each saying who contributed.</summary>
public sealed record DerivativesReading
{
    public required DateTimeOffset AsOfUtc { get; init; }

    public required IReadOnlyList<VenueOutcome> Venues { get; init; }

    /// <summary>OI-weighted funding per 8h (fraction).</summary>
    public decimal? FundingRate8h { get; init; }

    public decimal? FundingAnnualizedPct => FundingRate8h is { } r ? Math.Round(r * 3 * 365 * 100, 4) : null;

    public IReadOnlyList<string> FundingVenues { get; init; } = [];

    public decimal? OffshoreOpenInterestBtc { get; init; }

    public decimal? OffshoreOpenInterestUsd { get; init; }

    public IReadOnlyList<string> OpenInterestVenues { get; init; } = [];

    public OpenInterestChange? OpenInterestChange5Sessions { get; init; }

    /// <summary>Mean of the venues' 3-month annualised basis, percent.</summary>
    public decimal? Basis3mAnnualizedPct { get; init; }

    public IReadOnlyList<string> BasisVenues { get; init; } = [];

    /// <summary>Median of the venues' index prices.</summary>
    public decimal? IndexPriceUsd { get; init; }

    /// <summary>Why a composite lacks a venue or a value (failures, stale data, rejected units).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>CME open interest (all expiries) from the CFTC Commitments of Traders.</summary>
public sealed record CmeOpenInterest
{
    /// <summary>The Tuesday the report is as of.</summary>
    public required DateOnly ReportDate { get; init; }

    public required decimal OpenInterestBtc { get; init; }

    public DateOnly? PreviousReportDate { get; init; }

    /// <summary>Change since the previous report, BTC, over the contracts present in both.</summary>
    public decimal? ChangeBtc { get; init; }

    /// <summary>Contracts per CFTC code in the latest report.</summary>
    public IReadOnlyDictionary<string, long> Contracts { get; init; } = new Dictionary<string, long>();

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>BTC/USD at the 16:00 New York close of a session.</summary>
public sealed record BtcClose(DateOnly Session, decimal CloseUsd, string Source);
