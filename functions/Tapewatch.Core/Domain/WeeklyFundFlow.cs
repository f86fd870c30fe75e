namespace Tapewatch.Core.Domain;

/// <summary>
/// A CoinShares "Digital Asset Fund Flows Weekly Report" week. Money in whole USD; fields the prose
/// does not state are absent from the dictionaries (never zero).
/// </summary>
public sealed record WeeklyFundFlow
{
    /// <summary>The Friday the report covers (New York date).</summary>
    public required DateOnly WeekEnding { get; init; }

    public DateOnly? PublishedOn { get; init; }

    /// <summary>Global net flow, whole USD (negative = outflow).</summary>
    public required long TotalUsd { get; init; }

    public IReadOnlyDictionary<string, long> Assets { get; init; } = new Dictionary<string, long>();

    public IReadOnlyDictionary<string, long> Regions { get; init; } = new Dictionary<string, long>();

    public long? AumUsd { get; init; }

    public required string Source { get; init; }

    public int Revision { get; init; }

    public DateTimeOffset LastChangedUtc { get; init; }
}
