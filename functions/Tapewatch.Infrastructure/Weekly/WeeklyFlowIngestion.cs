using Azure;
using Microsoft.Extensions.Logging;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;

namespace Tapewatch.Infrastructure.Weekly;

/// <summary>What storing one week did.</summary>
public sealed record WeeklyStoreResult(WeeklyUpsertResult Upsert, IngestionRun Run);

/// <summary>
/// Stores a week (feed, manual API or file alike): change-detecting upsert with a revision row, an
/// evaluation request only when something changed (ChangedFrom = the Monday after the week), and a
/// run record for /api/health.
/// </summary>
public sealed partial class WeeklyFlowIngestion(
    WeeklyFlowStore store,
    EvaluationQueue evaluations,
    IngestionRunLog runs,
    TimeProvider time,
    ILogger<WeeklyFlowIngestion> logger)
{
    public const string Dataset = "weekly-flows";

    public const string EvaluationReason = "weekly-flows";

    /// <summary>The shared tail: run records and the evaluation request.</summary>
    private IngestionRecorder Recorder => field ??= new(Dataset, runs, evaluations, time);

    public async Task<WeeklyStoreResult> StoreAsync(WeeklyFundFlow week, DateTimeOffset startedUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(week);
        var upsert = await store.UpsertAsync(week, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (upsert.Changed) LogStored(week.WeekEnding, upsert.Outcome, upsert.Stored.Revision, week.TotalUsd, week.Source);
        else LogUnchanged(week.WeekEnding, week.Source);

        // An error answer to the evaluation request makes the run Partial (the week is stored); anything else is thrown,
        // as is a storage failure of the upsert or the run record (the endpoint answers 503, the CLI exits 1).
        var request = await Recorder.RequestEvaluationAsync(
            upsert.Changed ? week.WeekEnding.AddDays(3) : null,
            safety: null,
            reportFailure: static ex => ex is RequestFailedException,
            cancellationToken).ConfigureAwait(false);
        string? error = null;
        if (request.Failure is RequestFailedException ex)
        {
            error = $"stored, but the evaluation request could not be enqueued: {ex.Status} {ex.ErrorCode}";
            LogEnqueueFailed(ex, week.WeekEnding);
        }

        var run = Recorder.Run(
            week.Source,
            error is null ? RunOutcome.Succeeded : RunOutcome.Partial,
            startedUtc,
            fetched: 1,
            inserted: upsert.Outcome == WeeklyUpsertOutcome.Inserted ? 1 : 0,
            updated: upsert.Outcome == WeeklyUpsertOutcome.Updated ? 1 : 0,
            unchanged: upsert.Outcome == WeeklyUpsertOutcome.Unchanged ? 1 : 0,
            error: error,
            enqueued: request.Enqueued);
        await Recorder.RecordAsync(run, cancellationToken).ConfigureAwait(false);
        return new WeeklyStoreResult(upsert, run);
    }

    /// <summary>Records a run that stored nothing (source blocked, unreadable feed…).</summary>
    public async Task<IngestionRun> RecordFailureAsync(string source, RunOutcome outcome, string error, DateTimeOffset startedUtc, CancellationToken cancellationToken)
    {
        var run = Recorder.Run(source, outcome, startedUtc, error: error);
        await Recorder.RecordAsync(run, cancellationToken).ConfigureAwait(false);
        return run;
    }

    [LoggerMessage(EventId = 1420, Level = LogLevel.Information, Message = "Weekly flows: week {WeekEnding} {Outcome} (revision {Revision}, total {TotalUsd} USD, source {Source})")]
    private partial void LogStored(DateOnly weekEnding, WeeklyUpsertOutcome outcome, int revision, long totalUsd, string source);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Information, Message = "Weekly flows: week {WeekEnding} unchanged (source {Source})")]
    private partial void LogUnchanged(DateOnly weekEnding, string source);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Weekly flows: week {WeekEnding} stored but the evaluation request was not enqueued")]
    private partial void LogEnqueueFailed(Exception exception, DateOnly weekEnding);
}
