namespace Tapewatch.Core.Flows;

/// <summary>
/// One parsed row of a flows table (Farside HTML or CSV) before it becomes a session: per-fund US$m
/// (null = "-" / blank, not reported) and the published total.
/// </summary>
public sealed record EtfFlowRow(DateOnly Date, IReadOnlyDictionary<string, decimal?> Funds, decimal? TotalUsdM)
{
    /// <summary>
    /// The largest daily flow of a fund or the total, US$ millions: US$1 trillion, far beyond any day so far (a few
    /// US$bn) and small enough that whole USD fits a long (storage). A source's value beyond it is not a usable number.
    /// </summary>
    public const decimal MaxAbsUsdM = 1_000_000m;

    public static bool IsUsable(decimal usdM) => Math.Abs(usdM) <= MaxAbsUsdM;

    /// <summary>Every fund "-": a holiday row or the pending "today" row — not a session.</summary>
    public bool IsSession => Funds.Values.Any(v => v is not null);
}

/// <summary>What a parser made of its input: rows, or a clear reason it could not.</summary>
public sealed record EtfFlowParseResult
{
    public IReadOnlyList<EtfFlowRow> Rows { get; init; } = [];

    /// <summary>Rows that were skipped with the reason (partial or malformed lines); nothing is guessed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Non-null when the whole input was rejected (nothing may be written).</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null;
}
