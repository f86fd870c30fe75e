using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Evaluation;

/// <summary>What one evaluation request did.</summary>
public sealed record EvaluationOutcome
{
    /// <summary>The latest as-of session evaluated (null when there are no ETF flows at all).</summary>
    public DateOnly? AsOfSession { get; init; }

    public int SessionsEvaluated { get; init; }

    /// <summary>History rows added or updated (unchanged and superseded rows are not counted).</summary>
    public int HistoryWritten { get; init; }

    public SaveOutcome? Current { get; init; }

    public RegimeEvaluation? Evaluation { get; init; }
}

/// <summary>
/// Handles one evaluation request: loads the inputs, evaluates the latest session with ETF flows (and every
/// stored session from <see cref="EvaluationRequest.ChangedFrom"/>), stores the current evaluation and one
/// history row per session (ETag-guarded, so duplicate, concurrent and out-of-order requests are harmless), then
/// calls every <see cref="IEvaluationListener"/> with the current evaluation. A listener that throws makes the
/// request fail (the queue retries it; listeners are idempotent).
/// </summary>
public sealed partial class EvaluationService(
    EvaluationInputsLoader loader,
    RegimeEngine engine,
    EvaluationStore store,
    TradingCalendar calendar,
    TimeProvider time,
    IEnumerable<IEvaluationListener> listeners,
    ILogger<EvaluationService> logger)
{
    /// <summary>How far back a request may ask for re-evaluation (older ChangedFrom values are clamped).</summary>
    public const int MaxBackfillDays = 3 * 366;

    /// <summary>Parses a queue message and handles it; a malformed message throws <see cref="FormatException"/> before anything is read or written.</summary>
    public async Task<EvaluationOutcome> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        EvaluationRequest request;
        try
        {
            request = EvaluationRequest.Parse(message);
        }
        catch (FormatException ex)
        {
            LogMessageRejected(ex.Message);
            throw;
        }

        return await HandleAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public Task<EvaluationOutcome> HandleAsync(EvaluationRequest request, CancellationToken cancellationToken) =>
        EvaluateAsync(null, request.ChangedFrom, request.Reason, cancellationToken);

    /// <param name="asOf">Evaluate as of this date (the latest session with flows on or before it); null = the latest closed session.</param>
    /// <param name="changedFrom">Also re-evaluate every stored session from this date.</param>
    public async Task<EvaluationOutcome> EvaluateAsync(DateOnly? asOf, DateOnly? changedFrom, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var latestClosed = calendar.LatestClosedSession(now);
        var isLatest = asOf is null || asOf >= latestClosed;
        var target = isLatest ? latestClosed : asOf!.Value;
        var earliest = target;
        if (changedFrom is { } c && c < target)
        {
            earliest = c < target.AddDays(-MaxBackfillDays) ? target.AddDays(-MaxBackfillDays) : c;
        }

        var inputs = await loader.LoadAsync(earliest, isLatest ? NewYorkTime.DateOf(now) : target, cancellationToken).ConfigureAwait(false);
        var latest = inputs.LatestSessionOnOrBefore(target);
        if (latest is null)
        {
            LogNothingToEvaluate(reason, target);
            return new EvaluationOutcome();
        }

        var dates = inputs.SessionDates.Where(d => d >= earliest && d < latest.Value).Append(latest.Value).ToList();
        var stamps = await store.GetHistoryStampsAsync(dates[0], latest.Value, cancellationToken).ConfigureAwait(false);
        RegimeEvaluation? current = null;
        var written = 0;
        foreach (var date in dates)
        {
            var isNewest = date == latest.Value;
            var evaluation = engine.Evaluate(inputs, date, isNewest && isLatest ? now : null, now);
            var saved = await store.SaveHistoryAsync(evaluation, inputs.Watermark, cancellationToken, stamps.GetValueOrDefault(date)).ConfigureAwait(false);
            if (saved is SaveOutcome.Added or SaveOutcome.Updated) written++;
            if (isNewest) current = evaluation;
        }

        var currentOutcome = await store.SaveCurrentAsync(current!, inputs.Watermark, cancellationToken).ConfigureAwait(false);
        LogEvaluated(reason, latest.Value, current!.Regime, dates.Count, written, currentOutcome);

        if (currentOutcome != SaveOutcome.Superseded)
        {
            foreach (var listener in listeners)
            {
                await listener.OnEvaluatedAsync(current, cancellationToken).ConfigureAwait(false);
            }
        }

        return new EvaluationOutcome
        {
            AsOfSession = latest,
            SessionsEvaluated = dates.Count,
            HistoryWritten = written,
            Current = currentOutcome,
            Evaluation = current,
        };
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Evaluation message rejected (it will go to the poison queue after the last retry): {Reason}")]
    private partial void LogMessageRejected(string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Evaluation ({Reason}): no ETF sessions stored on or before {Target}; nothing to evaluate")]
    private partial void LogNothingToEvaluate(string reason, DateOnly target);

    [LoggerMessage(EventId = TelemetryEvents.EvaluationId, EventName = nameof(TelemetryEvents.Evaluation), Level = LogLevel.Information,
        Message = "Evaluation ({Reason}): as of {AsOf} regime {Regime}; {Count} session(s) evaluated, {Written} history row(s) written, current {CurrentOutcome}")]
    private partial void LogEvaluated(string reason, DateOnly asOf, Regime regime, int count, int written, SaveOutcome currentOutcome);
}
