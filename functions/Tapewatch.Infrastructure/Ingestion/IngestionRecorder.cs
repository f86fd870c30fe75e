using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Ingestion;

/// <summary>Where ingestion runs are recorded (<see cref="IngestionRunLog"/>: table IngestionRuns, read by /api/health).</summary>
public interface IIngestionRunSink
{
    Task RecordAsync(IngestionRun run, CancellationToken cancellationToken);
}

/// <summary>Where evaluation requests go (<see cref="EvaluationQueue"/>: the evaluation queue).</summary>
public interface IEvaluationRequests
{
    Task EnqueueAsync(string reason, DateOnly? changedFrom, CancellationToken cancellationToken);

    Task<EvaluationReceipt> EnqueueDelayedAsync(string reason, DateOnly? changedFrom, TimeSpan delay, CancellationToken cancellationToken);

    Task CancelAsync(EvaluationReceipt receipt, CancellationToken cancellationToken);
}

public enum EvaluationRequestStatus
{
    /// <summary>Nothing changed: no request.</summary>
    NotNeeded,

    /// <summary>One request was queued.</summary>
    Requested,

    /// <summary>The request failed with a failure the feature chose to report (<see cref="EvaluationRequestResult.Failure"/>).</summary>
    Failed,
}

/// <summary>What asking for an evaluation did; a failure to cancel the delayed safety request is only reported.</summary>
public sealed record EvaluationRequestResult(EvaluationRequestStatus Status, Exception? Failure = null, Exception? SafetyCancelFailure = null)
{
    public bool Enqueued => Status == EvaluationRequestStatus.Requested;
}

/// <summary>
/// The common tail of every ingestion (ETF flows, weekly flows, derivatives): build and record the <see cref="IngestionRun"/>,
/// request one evaluation when something changed (from the earliest changed session), and turn a storage outage into a
/// <see cref="RunOutcome.Failed"/> run with its reason. Where the features differ on purpose, the difference is an explicit
/// option: a delayed safety request queued before writing (ETF flows), which evaluation request failures are reported
/// instead of thrown (ETF flows: any storage failure; weekly: an error answer; derivatives: none), and whether a failure to
/// record the run is ignored (<see cref="TryRecordAsync"/>, ETF flows) or thrown (<see cref="RecordAsync"/>).
/// Logging stays with each feature (its own EventIds).
/// </summary>
public sealed class IngestionRecorder(string dataset, IIngestionRunSink runs, IEvaluationRequests evaluations, TimeProvider time)
{
    /// <summary>The dataset of the runs, also the reason of the evaluation requests.</summary>
    public string Dataset => dataset;

    /// <summary>A run record finished now (the one place a run record is written out).</summary>
    public static IngestionRun NewRun(
        TimeProvider time,
        string dataset,
        string source,
        RunOutcome outcome,
        DateTimeOffset started,
        int fetched = 0,
        int inserted = 0,
        int updated = 0,
        int unchanged = 0,
        string? error = null,
        bool enqueued = false)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new IngestionRun
        {
            Dataset = dataset,
            Source = source,
            Outcome = outcome,
            StartedUtc = started,
            FinishedUtc = time.GetUtcNow(),
            Fetched = fetched,
            Inserted = inserted,
            Updated = updated,
            Unchanged = unchanged,
            Error = error,
            EvaluationEnqueued = enqueued,
        };
    }

    /// <summary>A storage call failed (an error answer, or storage unreachable after retries).</summary>
    public static bool IsStorageOutage(Exception exception) => StorageFailure.Is(exception);

    /// <summary>"storage: HTTP 503 ServerBusy", "storage: unreachable after retries: Connection refused…".</summary>
    public static string OutageReason(Exception exception) => "storage: " + StorageFailure.Describe(exception);

    /// <summary>The Failed run of a storage outage, with its reason.</summary>
    public static IngestionRun StorageOutage(TimeProvider time, string dataset, string source, DateTimeOffset started, Exception exception) =>
        NewRun(time, dataset, source, RunOutcome.Failed, started, error: OutageReason(exception));

    /// <summary>A run of this dataset finished now.</summary>
    public IngestionRun Run(string source, RunOutcome outcome, DateTimeOffset started, int fetched = 0, int inserted = 0, int updated = 0, int unchanged = 0, string? error = null, bool enqueued = false) =>
        NewRun(time, dataset, source, outcome, started, fetched, inserted, updated, unchanged, error, enqueued);

    /// <summary>The Failed run of this dataset for a storage outage, with its reason.</summary>
    public IngestionRun StorageOutage(string source, DateTimeOffset started, Exception exception) => StorageOutage(time, dataset, source, started, exception);

    /// <summary>
    /// Option (ETF flows): queues a request that becomes visible only after <paramref name="delay"/>, before the change is
    /// written, so a change is evaluated even if the process or storage fails before the immediate request. Null when nothing
    /// changes. Pass the receipt to <see cref="RequestEvaluationAsync"/>, which cancels it once the immediate request is queued.
    /// </summary>
    public async Task<EvaluationReceipt?> RequestSafetyAsync(DateOnly? changedFrom, TimeSpan delay, CancellationToken cancellationToken) =>
        changedFrom is { } from
            ? await evaluations.EnqueueDelayedAsync(dataset, from, delay, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>
    /// Requests one evaluation from <paramref name="changedFrom"/> (null = nothing changed: no request). A failure for which
    /// <paramref name="reportFailure"/> is true is returned as <see cref="EvaluationRequestStatus.Failed"/>; any other failure
    /// (every failure when it is null) is thrown. After the request, the <paramref name="safety"/> request is cancelled; a
    /// storage failure doing so is only reported (a request left behind only re-evaluates).
    /// </summary>
    public async Task<EvaluationRequestResult> RequestEvaluationAsync(
        DateOnly? changedFrom,
        EvaluationReceipt? safety,
        Func<Exception, bool>? reportFailure,
        CancellationToken cancellationToken)
    {
        if (changedFrom is not { } from) return new EvaluationRequestResult(EvaluationRequestStatus.NotNeeded);
        try
        {
            await evaluations.EnqueueAsync(dataset, from, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (reportFailure?.Invoke(ex) == true)
        {
            return new EvaluationRequestResult(EvaluationRequestStatus.Failed, ex);
        }

        if (safety is null) return new EvaluationRequestResult(EvaluationRequestStatus.Requested);
        try
        {
            await evaluations.CancelAsync(safety, cancellationToken).ConfigureAwait(false);
            return new EvaluationRequestResult(EvaluationRequestStatus.Requested);
        }
        catch (Exception ex) when (IsStorageOutage(ex))
        {
            return new EvaluationRequestResult(EvaluationRequestStatus.Requested, SafetyCancelFailure: ex);
        }
    }

    /// <summary>Records the run; a failure is thrown.</summary>
    public Task RecordAsync(IngestionRun run, CancellationToken cancellationToken) => runs.RecordAsync(run, cancellationToken);

    /// <summary>Option (ETF flows): records the run; a storage failure is returned instead of thrown (the run still happened).</summary>
    public async Task<Exception?> TryRecordAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        try
        {
            await runs.RecordAsync(run, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (IsStorageOutage(ex))
        {
            return ex;
        }
    }
}
