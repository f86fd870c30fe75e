namespace Tapewatch.Core.Domain;

/// <summary>
/// One changed value of a stored session (table EtfRevisions): a fund's flow or the total, old and new
/// in US$ millions (null = "-", not reported), when, and which source brought the new value.
/// </summary>
public sealed record EtfRevision
{
    public required DateOnly Date { get; init; }

    /// <summary>A fund ticker, or "Total".</summary>
    public required string Field { get; init; }

    public decimal? OldUsdM { get; init; }

    public decimal? NewUsdM { get; init; }

    public required DateTimeOffset ChangedUtc { get; init; }

    public required string Source { get; init; }

    public string? PreviousSource { get; init; }

    /// <summary>The session's revision number after this change (1 = first revision).</summary>
    public required int Revision { get; init; }

    public const string TotalField = "Total";
}
