using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts;

/// <summary>Some notices could not be delivered on some channel: the evaluation message should be retried.</summary>
public sealed class AlertDeliveryFailedException(string message) : Exception(message);

/// <summary>
/// Runs the alert lifecycle after each stored evaluation and delivers what it owes. At-least-once safe:
/// <list type="number">
/// <item>decide on the ledger read with ETags; insert the decided notices as Pending rows (one per channel; an existing
/// row is left alone); commit the ledger in one ETag-guarded transaction — a lost race re-reads and decides again
/// (the winner's state already holds the notice, so nothing is decided twice);</item>
/// <item>deliver every owed row: claim it with an ETag-conditional update (one evaluator wins), send, then mark it Sent.
/// A transient channel failure marks the row Failed and, at the end, throws so the queue message retries; the retry
/// sends only what is still owed, so channels that succeeded are not sent again.</item>
/// </list>
/// </summary>
public sealed partial class AlertListener(
    AlertLifecycle lifecycle,
    AlertStore store,
    NotificationLog notifications,
    SilenceStore silences,
    IServiceProvider services,
    TimeProvider time,
    IOptions<AlertOptions> options,
    SecretRedactor redactor,
    ILogger<AlertListener> logger) : IEvaluationListener
{
    private const int MaxDecideAttempts = 6;

    public async Task OnEvaluatedAsync(RegimeEvaluation evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (!options.Value.Enabled) return;
        var channels = services.GetServices<IAlertChannel>().ToList();
        await DecideAsync(evaluation, channels, cancellationToken).ConfigureAwait(false);
        await DeliverAsync(channels, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertDecision> DecideAsync(RegimeEvaluation evaluation, IReadOnlyList<IAlertChannel> channels, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var stored = await store.LoadAsync(evaluation.AsOfSession, cancellationToken).ConfigureAwait(false);
            var active = await silences.ActiveAsync(now, cancellationToken).ConfigureAwait(false);
            var decision = lifecycle.Decide(evaluation, stored.Ledger, active, now);
            if (decision.Skipped is not null)
            {
                LogSkipped(evaluation.AsOfSession, decision.Skipped);
                return decision;
            }

            foreach (var notice in decision.Notices)
            {
                await notifications.EnqueueAsync(notice, channels.Select(c => c.Name), now, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await store.CommitAsync(decision, stored.ETags, cancellationToken).ConfigureAwait(false);
            }
            catch (AlertLedgerConflictException) when (attempt < MaxDecideAttempts)
            {
                LogLedgerConflict(evaluation.AsOfSession, attempt);
                // Contention back-off in real time (not business time): a fake clock in a test must not stall it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 150) * attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var (id, reason) in decision.Withheld)
            {
                LogWithheld(id, reason);
            }

            foreach (var notice in decision.Notices)
            {
                if (channels.Count == 0) LogDecidedWithoutChannel(notice.NotificationId, notice.Title);
                else LogDecided(notice.NotificationId, notice.Title, string.Join(",", channels.Select(c => c.Name)));
            }

            return decision;
        }
    }

    /// <summary>Sends every owed notification on its channel; throws <see cref="AlertDeliveryFailedException"/> if a transient failure remains.</summary>
    public async Task DeliverAsync(IReadOnlyList<IAlertChannel> channels, CancellationToken cancellationToken)
    {
        if (channels.Count == 0) return;
        var byName = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var owed = await notifications.OwedAsync(cancellationToken).ConfigureAwait(false);
        var left = 0;
        foreach (var record in owed)
        {
            if (!byName.TryGetValue(record.Channel, out var channel)) continue;
            if (failed.ContainsKey(record.Channel))
            {
                left++;
                continue;
            }

            var claimed = await notifications.TryClaimAsync(record, time.GetUtcNow(), options.Value.ClaimTimeout, cancellationToken).ConfigureAwait(false);
            if (claimed is null) continue; // another evaluator is on it

            if (record.Attempts >= options.Value.MaxDeliveryAttempts)
            {
                var error = $"gave up after {record.Attempts} attempts; last error: {record.LastError}";
                await notifications.MarkFailedAsync(claimed, error, permanent: true, CancellationToken.None).ConfigureAwait(false);
                LogAbandoned(record.NotificationId, record.Channel, error);
                continue;
            }

            try
            {
                await channel.SendAsync(record.Message, cancellationToken).ConfigureAwait(false);
                var marked = await notifications.MarkSentAsync(claimed, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                LogSent(record.NotificationId, record.Channel, claimed.Attempts);
                if (!marked)
                {
                    LogSentAfterClaimExpired(record.NotificationId, record.Channel);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delivery = ex as AlertDeliveryException ?? new AlertDeliveryException(record.Channel, false, redactor.Redact($"{ex.GetType().Name}: {ex.Message}"), ex);
                await notifications.MarkFailedAsync(claimed, delivery.Message, delivery.Permanent, CancellationToken.None).ConfigureAwait(false);
                if (delivery.Permanent)
                {
                    LogRejected(record.NotificationId, record.Channel, delivery.Message);
                }
                else
                {
                    LogNotDelivered(record.NotificationId, record.Channel, claimed.Attempts, delivery.Message);
                    failed[record.Channel] = delivery.Message;
                    left++;
                }
            }
        }

        if (failed.Count > 0)
        {
            throw new AlertDeliveryFailedException(
                $"{left} notification(s) still owed on {string.Join(", ", failed.Keys)}: " + string.Join("; ", failed.Select(f => $"{f.Key}: {f.Value}")));
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Alerts: evaluation of {Session} skipped: {Reason}")]
    private partial void LogSkipped(DateOnly session, string reason);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Debug, Message = "Alerts: ledger changed by another evaluator while deciding {Session}; deciding again (attempt {Attempt})")]
    private partial void LogLedgerConflict(DateOnly session, int attempt);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "Alerts: {NotificationId} withheld: {Reason}")]
    private partial void LogWithheld(string notificationId, string reason);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Warning, Message = "Alerts: {NotificationId} decided ({Title}) but no channel is configured")]
    private partial void LogDecidedWithoutChannel(string notificationId, string title);

    [LoggerMessage(EventId = 1214, Level = LogLevel.Information, Message = "Alerts: {NotificationId} decided ({Title}) for {Channels}")]
    private partial void LogDecided(string notificationId, string title, string channels);

    [LoggerMessage(EventId = TelemetryEvents.AlertSentId, EventName = nameof(TelemetryEvents.AlertSent), Level = LogLevel.Information,
        Message = "Alerts: {NotificationId} sent on {Channel} (attempt {Attempt})")]
    private partial void LogSent(string notificationId, string channel, int attempt);

    [LoggerMessage(EventId = 1215, Level = LogLevel.Warning, Message = "Alerts: {NotificationId} sent on {Channel}, but its claim had expired and was taken over (it may be sent twice)")]
    private partial void LogSentAfterClaimExpired(string notificationId, string channel);

    [LoggerMessage(EventId = TelemetryEvents.AlertAbandonedId, EventName = nameof(TelemetryEvents.AlertAbandoned), Level = LogLevel.Error,
        Message = "Alerts: {NotificationId} on {Channel} abandoned: {Error}")]
    private partial void LogAbandoned(string notificationId, string channel, string error);

    // AlertNotDelivered is one named event with two outcomes: rejected for good (Error) and to be retried (Warning).
    // They share its EventId and name on purpose, so a query by name finds both.
    [LoggerMessage(EventId = TelemetryEvents.AlertNotDeliveredId, EventName = nameof(TelemetryEvents.AlertNotDelivered), Level = LogLevel.Error,
        Message = "Alerts: {NotificationId} rejected by {Channel}, not retried: {Error}")]
    private partial void LogRejected(string notificationId, string channel, string error);

#pragma warning disable LOGGEN002, LOGGEN027 // the same event id and name as LogRejected, on purpose (above)
    [LoggerMessage(EventId = TelemetryEvents.AlertNotDeliveredId, EventName = nameof(TelemetryEvents.AlertNotDelivered), Level = LogLevel.Warning,
        Message = "Alerts: {NotificationId} not delivered on {Channel} (attempt {Attempt}); the evaluation will be retried: {Error}")]
    private partial void LogNotDelivered(string notificationId, string channel, int attempt, string error);
#pragma warning restore LOGGEN002, LOGGEN027
}
