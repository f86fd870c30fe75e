using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Health;

public sealed record ComponentHealth(string Status, string? Error = null);

public sealed record HealthReport
{
    /// <summary>"ok" when storage answers; "degraded" when a dataset's last run failed; "unavailable" without storage.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset CheckedUtc { get; init; }

    public required ComponentHealth Storage { get; init; }

    public required IReadOnlyDictionary<string, ComponentHealth> StorageServices { get; init; }

    public IReadOnlyList<IngestionRun> Ingestion { get; init; } = [];

    public QueueHealth? EvaluationQueue { get; init; }
}

public sealed record QueueHealth(string Name, int? ApproximateDepth, int? PoisonDepth);

/// <summary>Answers "is the app able to work": storage reachability, latest ingestion runs, queue depths.</summary>
public sealed partial class HealthService(TapewatchStorage storage, IngestionRunLog runs, TimeProvider time, ILogger<HealthService> logger)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var ct = timeout.Token;

        var table = await ProbeAsync("table", async () =>
        {
            await foreach (var _ in storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).ConfigureAwait(false)) break;
        }).ConfigureAwait(false);
        var queue = await ProbeAsync("queue", async () => await storage.Queues.GetPropertiesAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);

        var storageOk = table.Status == "ok" && queue.Status == "ok";
        IReadOnlyList<IngestionRun> ingestion = [];
        QueueHealth? evaluationQueue = null;
        if (storageOk)
        {
            try
            {
                ingestion = await runs.LatestAsync(ct).ConfigureAwait(false);
                evaluationQueue = new QueueHealth(
                    storage.EvaluationQueueName,
                    await DepthAsync(storage.EvaluationQueueName, ct).ConfigureAwait(false),
                    await DepthAsync(AppSettingNames.PoisonQueueOf(storage.EvaluationQueueName), ct).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or HttpRequestException)
            {
                LogRunsUnreadable(ex);
            }
        }

        var degraded = ingestion.Any(r => r.Outcome is not (RunOutcome.Succeeded or RunOutcome.Partial)) || evaluationQueue?.PoisonDepth > 0;
        return new HealthReport
        {
            Status = !storageOk ? "unavailable" : degraded ? "degraded" : "ok",
            CheckedUtc = time.GetUtcNow(),
            Storage = storageOk ? new ComponentHealth("ok") : new ComponentHealth("unreachable", table.Error ?? queue.Error),
            StorageServices = new Dictionary<string, ComponentHealth> { ["table"] = table, ["queue"] = queue },
            Ingestion = ingestion,
            EvaluationQueue = evaluationQueue,
        };
    }

    private async Task<int?> DepthAsync(string queueName, CancellationToken ct)
    {
        var client = storage.Queues.GetQueueClient(queueName);
        if (!(await client.ExistsAsync(ct).ConfigureAwait(false)).Value) return 0;
        var props = await client.GetPropertiesAsync(ct).ConfigureAwait(false);
        return props.Value.ApproximateMessagesCount;
    }

    private async Task<ComponentHealth> ProbeAsync(string name, Func<Task> probe)
    {
        try
        {
            await probe().ConfigureAwait(false);
            return new ComponentHealth("ok");
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            LogProbeFailed(name, ex.Message);
            return new ComponentHealth("unreachable", ex is OperationCanceledException ? "timed out after 10 s" : FirstLine(ex.Message));
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "Health: reading ingestion runs failed")]
    private partial void LogRunsUnreadable(Exception exception);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Health: {Service} storage probe failed: {Reason}")]
    private partial void LogProbeFailed(string service, string reason);
}
