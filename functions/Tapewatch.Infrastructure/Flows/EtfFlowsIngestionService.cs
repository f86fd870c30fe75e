using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Core.Flows;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>The outcome of one ingestion: the recorded run, what was planned and every source attempt.</summary>
public sealed record EtfFlowsIngestionResult
{
    public required IngestionRun Run { get; init; }

    public EtfSessionPlan? Plan { get; init; }

    public IReadOnlyList<EtfFlowFetch> Attempts { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public DateOnly? ChangedFrom => Plan?.ChangedFrom;

    /// <summary>Nothing was missing or provisional, so no source was asked.</summary>
    public bool UpToDate { get; init; }
}

/// <summary>
/// Reconciling ETF flows ingestion: works out which sessions since the last final one are missing or
/// provisional, fetches them (sources in order, with fail-over), diffs against Table Storage, writes only
/// what changed (with a revision row per changed value), records the run and enqueues one evaluation
/// request when something changed. Running it twice changes nothing the second time.
/// </summary>
public sealed partial class EtfFlowsIngestionService(
    EtfFlowSourceChain sources,
    EtfSessionStore store,
    IngestionRunLog runLog,
    EvaluationQueue evaluations,
    TradingCalendar calendar,
    SessionStatusPolicy policy,
    IOptions<FlowsOptions> options,
    TimeProvider time,
    ILogger<EtfFlowsIngestionService> logger)
{
    public const string Dataset = "etf-flows";

    /// <summary>The shared tail: run records, the evaluation request (with the delayed safety request), storage outages.</summary>
    private IngestionRecorder Recorder => field ??= new(Dataset, runLog, evaluations, time);

    /// <summary>Stored sessions read before the first incoming one, so the late-fund rule sees the previous sessions.</summary>
    private const int ContextDays = 14;

    /// <summary>The scheduled run (timer, local scheduler, <c>./tapewatch ingest etf-flows</c> without a range).</summary>
    public Task<EtfFlowsIngestionResult> RunScheduledAsync(CancellationToken cancellationToken) => RunScheduledAsync(null, cancellationToken);

    /// <summary>The scheduled run asking only <paramref name="only"/> (null = the configured order).</summary>
    public async Task<EtfFlowsIngestionResult> RunScheduledAsync(string? only, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var today = NewYorkTime.DateOf(started);
        var latestClosed = calendar.LatestClosedSession(started);
        var lookbackStart = today.AddDays(-options.Value.LookbackDays);
        var stored = await store.GetRangeAsync(lookbackStart, today, cancellationToken).ConfigureAwait(false);
        var lastFinal = stored.LastOrDefault(s => s.Status == SessionStatus.Final)?.Date;
        var from = lastFinal?.AddDays(1) ?? lookbackStart;
        var byDate = stored.ToDictionary(s => s.Date);
        var needed = calendar.Sessions(from, latestClosed)
            .Concat(stored.Where(s => s.Date >= from && s.Status == SessionStatus.Provisional).Select(s => s.Date))
            .Where(d => !byDate.TryGetValue(d, out var s) || s.Status == SessionStatus.Provisional)
            .Distinct()
            .Order()
            .ToList();
        if (needed.Count == 0)
        {
            LogUpToDate(lastFinal);
            var run = Recorder.Run("none", RunOutcome.Succeeded, started);
            await Recorder.RecordAsync(run, cancellationToken).ConfigureAwait(false);
            return new EtfFlowsIngestionResult { Run = run, UpToDate = true };
        }

        var query = new EtfFlowQuery(needed[0], today);
        LogSessionsNeeded(needed.Count, needed[0]);
        return await FetchAndReconcileAsync(query, only, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Backfill [from, to] from the sources (or only <paramref name="source"/>).</summary>
    public async Task<EtfFlowsIngestionResult> BackfillAsync(DateOnly from, DateOnly to, string? source, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        return await FetchAndReconcileAsync(new EtfFlowQuery(from, to), source, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports a parsed file or upload (every row in it, or only [from, to]).</summary>
    public async Task<EtfFlowsIngestionResult> ImportAsync(EtfFlowFetch parsed, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        return await ReconcileAsync(parsed, [parsed], from, to, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What an import would store, without storage: statuses and late funds from the rows alone.</summary>
    public static EtfSessionPlan DryRun(EtfFlowFetch fetch, SessionStatusPolicy policy, DateTimeOffset utcNow, TradingCalendar? calendar, DateOnly? from = null, DateOnly? to = null) =>
        EtfSessionPlanner.Plan(Window(fetch.Rows, from, to), fetch.TotalsOnly, fetch.Source, new Dictionary<DateOnly, EtfSession>(), policy, utcNow, calendar);

    private async Task<EtfFlowsIngestionResult> FetchAndReconcileAsync(EtfFlowQuery query, string? only, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var attempts = await sources.FetchAsync(query, only, cancellationToken).ConfigureAwait(false);
        var used = attempts.LastOrDefault(a => a.Outcome == SourceOutcome.Ok);
        if (used is null)
        {
            return await RecordFailureAsync(attempts, started, cancellationToken).ConfigureAwait(false);
        }

        return await ReconcileAsync(used, attempts, query.From, query.To, started, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EtfFlowsIngestionResult> ReconcileAsync(
        EtfFlowFetch fetch,
        IReadOnlyList<EtfFlowFetch> attempts,
        DateOnly? from,
        DateOnly? to,
        DateTimeOffset started,
        CancellationToken cancellationToken)
    {
        if (fetch.Outcome != SourceOutcome.Ok) return await RecordFailureAsync(attempts, started, cancellationToken).ConfigureAwait(false);

        var rows = Window(fetch.Rows, from, to);
        var warnings = fetch.Warnings.ToList();
        EtfSessionPlan plan;
        EvaluationReceipt? safety;
        try
        {
            (plan, safety) = await PlanAndApplyAsync(fetch, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (EtfSessionConflictException)
        {
            LogWriteConflict();
            try
            {
                (plan, safety) = await PlanAndApplyAsync(fetch, rows, cancellationToken).ConfigureAwait(false);
            }
            catch (EtfSessionConflictException ex)
            {
                return await RecordAsync(Failed(fetch.Source, started, RunOutcome.Failed, "storage: " + ex.Message), null, attempts, warnings, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IngestionRecorder.IsStorageOutage(ex))
        {
            LogStorageFailed(ex);
            return await RecordAsync(Failed(fetch.Source, started, RunOutcome.Failed, IngestionRecorder.OutageReason(ex)), null, attempts, warnings, cancellationToken).ConfigureAwait(false);
        }

        warnings.AddRange(plan.Warnings);
        var request = await Recorder.RequestEvaluationAsync(plan.ChangedFrom, safety, IngestionRecorder.IsStorageOutage, cancellationToken).ConfigureAwait(false);
        if (request.Failure is { } enqueueFailure)
        {
            // Stored, but the evaluation request failed: the delayed request queued before writing covers it.
            LogEnqueueFailed(enqueueFailure);
            var failed = Failed(fetch.Source, started, RunOutcome.Failed, $"storage: sessions stored but the evaluation request failed ({StorageFailure.Describe(enqueueFailure)}); the delayed request queued before writing will evaluate them");
            return await RecordAsync(failed with { Inserted = plan.Inserted, Updated = plan.Updated, Unchanged = plan.Unchanged, Fetched = plan.Sessions.Count }, plan, attempts, warnings, cancellationToken).ConfigureAwait(false);
        }

        if (request.SafetyCancelFailure is { } cancelFailure) LogCancelFailed(StorageFailure.Describe(cancelFailure));

        var fellBack = attempts.Where(a => a.Outcome != SourceOutcome.Ok).ToList();
        var run = Recorder.Run(
            fetch.Source,
            RunOutcome.Succeeded,
            started,
            fetched: plan.Sessions.Count,
            inserted: plan.Inserted,
            updated: plan.Updated,
            unchanged: plan.Unchanged,
            error: fellBack.Count == 0 ? null : $"used {fetch.Source} after " + string.Join("; ", fellBack),
            enqueued: request.Enqueued);
        LogReconciled(run.Source, run.Inserted, run.Updated, run.Unchanged, plan.ChangedFrom);
        return await RecordAsync(run, plan, attempts, warnings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans, queues the delayed safety evaluation request when something changes, then writes.</summary>
    private async Task<(EtfSessionPlan Plan, EvaluationReceipt? Safety)> PlanAndApplyAsync(EtfFlowFetch fetch, IReadOnlyList<EtfFlowRow> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (rows.Count == 0) return (new EtfSessionPlan(), null);
        var first = rows.Min(r => r.Date);
        var last = rows.Max(r => r.Date);
        var stored = await store.GetRangeWithETagsAsync(first.AddDays(-ContextDays), last, cancellationToken).ConfigureAwait(false);
        var plan = EtfSessionPlanner.Plan(rows, fetch.TotalsOnly, fetch.Source, stored.ToDictionary(kv => kv.Key, kv => kv.Value.Session), policy, now, calendar);
        var changes = plan.Changes
            .Select(c => (c.Session, stored.TryGetValue(c.Session.Date, out var s) ? s.ETag : (ETag?)null, c.Revisions))
            .ToList();
        var safety = changes.Count > 0
            ? await Recorder.RequestSafetyAsync(plan.ChangedFrom, options.Value.EvaluationSafetyDelay, cancellationToken).ConfigureAwait(false)
            : null;
        await store.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        return (plan, safety);
    }

    private async Task<EtfFlowsIngestionResult> RecordFailureAsync(IReadOnlyList<EtfFlowFetch> attempts, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var tried = attempts.Where(a => a.Outcome != SourceOutcome.Skipped).ToList();
        var first = tried.FirstOrDefault() ?? attempts.FirstOrDefault();
        var outcome = first?.Outcome switch
        {
            SourceOutcome.SourceBlocked => RunOutcome.SourceBlocked,
            SourceOutcome.ParseFailed => RunOutcome.ParseFailed,
            _ => RunOutcome.Failed,
        };
        var error = attempts.Count == 0 ? "no source is configured" : string.Join("; ", attempts);
        LogEverySourceFailed(error);
        var run = Failed(string.Join(",", attempts.Select(a => a.Source)), started, outcome, error);
        return await RecordAsync(run, null, attempts, attempts.SelectMany(a => a.Warnings).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private IngestionRun Failed(string source, DateTimeOffset started, RunOutcome outcome, string error) =>
        Recorder.Run(source.Length == 0 ? "none" : source, outcome, started, error: error);

    private async Task<EtfFlowsIngestionResult> RecordAsync(IngestionRun run, EtfSessionPlan? plan, IReadOnlyList<EtfFlowFetch> attempts, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        // A run that could not be recorded still happened: its result is returned (the failure is logged).
        if (await Recorder.TryRecordAsync(run, cancellationToken).ConfigureAwait(false) is { } recordFailure) LogRecordFailed(recordFailure, run.Outcome);

        return new EtfFlowsIngestionResult { Run = run, Plan = plan, Attempts = attempts, Warnings = warnings };
    }

    private static List<EtfFlowRow> Window(IReadOnlyList<EtfFlowRow> rows, DateOnly? from, DateOnly? to) =>
        rows.Where(r => (from is null || r.Date >= from) && (to is null || r.Date <= to)).OrderBy(r => r.Date).ToList();

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "ETF flows up to date: last final session {LastFinal}")]
    private partial void LogUpToDate(DateOnly? lastFinal);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "ETF flows: {Count} sessions missing or provisional from {From}")]
    private partial void LogSessionsNeeded(int count, DateOnly from);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "ETF flows: a session changed while we wrote; reconciling once more")]
    private partial void LogWriteConflict();

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "ETF flows: storage failed")]
    private partial void LogStorageFailed(Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "ETF flows: sessions stored but the evaluation request failed")]
    private partial void LogEnqueueFailed(Exception exception);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "ETF flows: could not cancel the delayed evaluation request (it will re-evaluate): {Reason}")]
    private partial void LogCancelFailed(string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "ETF flows from {Source}: {Inserted} new, {Updated} changed, {Unchanged} unchanged, changed from {ChangedFrom}")]
    private partial void LogReconciled(string source, int inserted, int updated, int unchanged, DateOnly? changedFrom);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "ETF flows: every source failed: {Error}")]
    private partial void LogEverySourceFailed(string error);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Error, Message = "ETF flows: could not record the run ({Outcome})")]
    private partial void LogRecordFailed(Exception exception, RunOutcome outcome);
}

/// <summary>The scheduled ETF flows job (timer "EtfFlows", app setting <c>EtfFlowsSchedule</c>).</summary>
public sealed class EtfFlowsIngestionJob(EtfFlowsIngestionService service) : IScheduledJob
{
    public async Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken)
    {
        var result = await service.RunScheduledAsync(cancellationToken).ConfigureAwait(false);
        return [result.Run];
    }
}
