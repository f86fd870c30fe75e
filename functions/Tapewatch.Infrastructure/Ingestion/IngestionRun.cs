namespace Tapewatch.Infrastructure.Ingestion;

public enum RunOutcome
{
    /// <summary>Ran and stored what changed (possibly nothing).</summary>
    Succeeded,

    /// <summary>Some inputs (e.g. one venue) failed; the rest was stored.</summary>
    Partial,

    /// <summary>The source refused us (Cloudflare challenge, 401/403/451).</summary>
    SourceBlocked,

    /// <summary>The source answered something we could not understand; nothing written.</summary>
    ParseFailed,

    /// <summary>Network, timeout, 5xx after retries, storage errors.</summary>
    Failed,
}

/// <summary>One run of an ingestion job for one dataset, as shown by /api/health.</summary>
public sealed record IngestionRun
{
    public required string Dataset { get; init; }

    public required string Source { get; init; }

    public required RunOutcome Outcome { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    public int Fetched { get; init; }

    public int Inserted { get; init; }

    public int Updated { get; init; }

    public int Unchanged { get; init; }

    /// <summary>Why the run failed, safe to show (never contains secrets).</summary>
    public string? Error { get; init; }

    public bool EvaluationEnqueued { get; init; }

    public bool Changed => Inserted > 0 || Updated > 0;
}
