using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Local.Hosting;

/// <summary>Handles one evaluation-queue message's text; throwing means "retry later".</summary>
internal delegate Task QueueMessageHandler(IServiceProvider services, string messageText, CancellationToken cancellationToken);

/// <summary>
/// Consumes the evaluation queue with the Functions host's semantics (host.json): one message at a time,
/// at-least-once, a failed message becomes visible again after the visibility timeout, and after
/// <see cref="MaxDequeueCount"/> failed attempts it moves to "&lt;queue&gt;-poison".
/// </summary>
internal sealed partial class LocalQueueWorker(
    TapewatchStorage storage,
    IServiceScopeFactory scopes,
    QueueMessageHandler handler,
    TimeProvider time,
    ILogger<LocalQueueWorker> logger) : BackgroundService
{
    public const int MaxDequeueCount = 5;

    // One message at a time in this process (batchSize 1): a drain waits for the background loop's message.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>How long a failed message stays invisible before its retry (host.json "visibilityTimeout").</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a received message is hidden from other consumers while it is processed.</summary>
    public TimeSpan ProcessingLease { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Processes messages until none is visible; returns how many were handled successfully.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(storage.EvaluationQueueName, cancellationToken).ConfigureAwait(false);
        var handled = 0;
        while (await ProcessOneAsync(queue, cancellationToken).ConfigureAwait(false) is { } ok)
        {
            if (ok) handled++;
        }

        return handled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            bool? processed;
            try
            {
                var queue = await storage.QueueAsync(storage.EvaluationQueueName, stoppingToken).ConfigureAwait(false);
                processed = await ProcessOneAsync(queue, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                LogQueueUnreachable(ex.Message.Split('\n')[0]);
                processed = null;
            }

            if (processed is not null)
            {
                delay = TimeSpan.FromMilliseconds(100);
                continue;
            }

            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollingInterval.Ticks));
        }
    }

    /// <returns>null when the queue had no visible message; true when handled; false when it failed.</returns>
    private async Task<bool?> ProcessOneAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReceiveAndHandleAsync(queue, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool?> ReceiveAndHandleAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        QueueMessage? message = (await queue.ReceiveMessageAsync(ProcessingLease, cancellationToken).ConfigureAwait(false)).Value;
        if (message is null) return null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await handler(scope.ServiceProvider, message.Body.ToString(), cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= MaxDequeueCount)
            {
                var poison = await storage.QueueAsync(queue.Name + "-poison", cancellationToken).ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                LogPoisoned(ex, message.MessageId, message.DequeueCount, poison.Name);
            }
            else
            {
                LogRetrying(ex, message.MessageId, message.DequeueCount, MaxDequeueCount, VisibilityTimeout);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: VisibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 1810, Level = LogLevel.Warning, Message = "Evaluation queue unreachable: {Reason}")]
    private partial void LogQueueUnreachable(string reason);

    [LoggerMessage(EventId = 1811, Level = LogLevel.Error, Message = "Evaluation message {MessageId} failed {Attempts} times; moved to {PoisonQueue}")]
    private partial void LogPoisoned(Exception exception, string messageId, long attempts, string poisonQueue);

    [LoggerMessage(EventId = 1812, Level = LogLevel.Warning, Message = "Evaluation message {MessageId} failed (attempt {Attempt} of {Max}); retrying after {Delay}")]
    private partial void LogRetrying(Exception exception, string messageId, long attempt, int max, TimeSpan delay);
}
