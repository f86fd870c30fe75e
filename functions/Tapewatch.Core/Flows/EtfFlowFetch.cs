namespace Tapewatch.Core.Flows;

/// <summary>What a source made of one fetch.</summary>
public enum SourceOutcome
{
    /// <summary>Rows were read (possibly none in the range).</summary>
    Ok,

    /// <summary>The source refused us: Cloudflare challenge, 401/403/451. Nothing is written.</summary>
    SourceBlocked,

    /// <summary>The source answered something we could not understand. Nothing is written.</summary>
    ParseFailed,

    /// <summary>Network error, timeout, 5xx after retries.</summary>
    Failed,

    /// <summary>The source is not usable as configured (e.g. no API key); the next source is tried.</summary>
    Skipped,
}

/// <summary>The sessions wanted, by New York date (inclusive).</summary>
public sealed record EtfFlowQuery(DateOnly From, DateOnly To);

/// <summary>One source's answer: rows, or an outcome with a reason that is safe to show.</summary>
public sealed record EtfFlowFetch
{
    public required string Source { get; init; }

    public required SourceOutcome Outcome { get; init; }

    public IReadOnlyList<EtfFlowRow> Rows { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Why the fetch did not succeed (never contains secrets).</summary>
    public string? Error { get; init; }

    /// <summary>The source gives daily totals only, without a per-fund split (SoSoValue).</summary>
    public bool TotalsOnly { get; init; }

    public static EtfFlowFetch Fail(string source, SourceOutcome outcome, string error) => new() { Source = source, Outcome = outcome, Error = error };

    public override string ToString() => Error is null ? $"{Source}: {Outcome}" : $"{Source}: {Outcome}: {Error}";
}

public static class EtfFlowSourceNames
{
    public const string Farside = "farside";
    public const string SoSoValue = "sosovalue";

    public static IReadOnlyList<string> Remote { get; } = [Farside, SoSoValue];
}
