using System.Text.Json.Serialization;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

public enum DerivativesRunMode
{
    /// <summary>Venues only: the hourly reading (and the day's snapshot if it is still missing inside the window).</summary>
    Hourly,

    /// <summary>Venues, CFTC and the BTC close (with backfill): the daily snapshot at the US close.</summary>
    Close,
}

public sealed record DerivativesRunRequest
{
    public DerivativesRunMode Mode { get; init; } = DerivativesRunMode.Close;

    /// <summary>Read saved responses from this folder instead of calling the venues.</summary>
    public string? RecordedDirectory { get; init; }

    /// <summary>A CFTC file (CSV or JSON) to use instead of the public-reporting API.</summary>
    public string? CftcFile { get; init; }

    /// <summary>Read and compute only: no storage, no run records, no evaluation request.</summary>
    public bool DryRun { get; init; }

    /// <summary>Backfill BTC closes for every session from this date (otherwise the last few sessions).</summary>
    public DateOnly? BackfillClosesFrom { get; init; }
}

public sealed record DerivativesRunResult
{
    public required DerivativesReading Reading { get; init; }

    public CmeOpenInterest? Cme { get; init; }

    public string? CmeNote { get; init; }

    public BtcClose? Close { get; init; }

    public string? CloseNote { get; init; }

    public DateOnly? Session { get; init; }

    public DerivativesDaily? Snapshot { get; init; }

    /// <summary>What happened to the daily snapshot; <see cref="SnapshotAction"/> is how the CLI and the JSON say it.</summary>
    [JsonIgnore]
    public DerivativesSnapshotWrite SnapshotWrite { get; init; } = DerivativesSnapshotWrite.Skipped("not attempted");

    /// <summary>inserted, updated, unchanged, skipped (why) or dry-run.</summary>
    public string SnapshotAction => SnapshotWrite.Action;

    public int HourlyRowsWritten { get; init; }

    public int ClosesBackfilled { get; init; }

    public bool EvaluationEnqueued { get; init; }

    public IReadOnlyList<IngestionRun> Runs { get; init; } = [];
}

public enum DerivativesSnapshotOutcome
{
    Inserted,
    Updated,
    Unchanged,
    Skipped,
    DryRun,
}

/// <summary>What storing one daily snapshot did.</summary>
/// <param name="Snapshot">The snapshot as stored (or as it would be, in a dry run).</param>
/// <param name="RuleInputsChanged">A rule input changed, so the snapshot asks for an evaluation (a BTC close alone does not).</param>
/// <param name="SkipReason">Why nothing was written, for <see cref="DerivativesSnapshotOutcome.Skipped"/>.</param>
public sealed record DerivativesSnapshotWrite(
    DerivativesSnapshotOutcome Outcome,
    DerivativesDaily? Snapshot = null,
    bool RuleInputsChanged = false,
    string? SkipReason = null)
{
    public bool Written => Outcome is DerivativesSnapshotOutcome.Inserted or DerivativesSnapshotOutcome.Updated;

    public string Action => Outcome switch
    {
        DerivativesSnapshotOutcome.Inserted => "inserted",
        DerivativesSnapshotOutcome.Updated => "updated",
        DerivativesSnapshotOutcome.Unchanged => "unchanged",
        DerivativesSnapshotOutcome.DryRun => "dry-run",
        _ => "skipped: " + SkipReason,
    };

    public static DerivativesSnapshotWrite Skipped(string reason) => new(DerivativesSnapshotOutcome.Skipped, SkipReason: reason);
}
