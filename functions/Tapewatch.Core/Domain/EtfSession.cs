namespace Tapewatch.Core.Domain;

public enum SessionStatus
{
    /// <summary>A fund that has reported before is still "-" and the cut-off has not passed.</summary>
    Provisional,

    /// <summary>Every fund has reported, or the cut-off passed.</summary>
    Final,
}

/// <summary>
/// One US spot BTC ETF trading session: per-fund net flows in US$ millions (null = "-", not reported,
/// never zero) and the total. A row where every fund is "-" is not a session.
/// </summary>
public sealed record EtfSession
{
    public required DateOnly Date { get; init; }

    /// <summary>Fund ticker → net flow in US$ millions; null when the fund has not reported ("-").</summary>
    public required IReadOnlyDictionary<string, decimal?> Funds { get; init; }

    /// <summary>Total net flow in US$ millions as published (or the sum of funds when the source has no total).</summary>
    public required decimal TotalUsdM { get; init; }

    public required SessionStatus Status { get; init; }

    public required string Source { get; init; }

    public DateTimeOffset FirstSeenUtc { get; init; }

    public DateTimeOffset LastChangedUtc { get; init; }

    public int Revision { get; init; }

    public IEnumerable<string> PendingFunds => Funds.Where(f => f.Value is null).Select(f => f.Key);
}
