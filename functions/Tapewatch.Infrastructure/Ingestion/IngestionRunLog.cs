using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Ingestion;

/// <summary>
/// Keeps every ingestion run (partition = dataset, newest first) and the latest run per dataset
/// (partition "latest") so /api/health reads one partition.
/// </summary>
public sealed partial class IngestionRunLog(TapewatchStorage storage, ILogger<IngestionRunLog>? logger = null) : IIngestionRunSink
{
    private const string LatestPartition = "latest";

    private readonly ILogger<IngestionRunLog> _logger = logger ?? NullLogger<IngestionRunLog>.Instance;

    public async Task RecordAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        LogRun(run.Dataset, run.Source, run.Outcome, run.Fetched, run.Inserted, run.Updated, run.Unchanged, run.EvaluationEnqueued, run.Error);
        var table = await storage.TableAsync(TableNames.IngestionRuns, cancellationToken).ConfigureAwait(false);
        var history = ToEntity(run, run.Dataset, InvertedTicks(run.StartedUtc));
        var latest = ToEntity(run, LatestPartition, run.Dataset);
        await table.UpsertEntityAsync(history, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(latest, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IngestionRun>> LatestAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.IngestionRuns, cancellationToken).ConfigureAwait(false);
        var runs = new List<IngestionRun>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == LatestPartition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(FromEntity(e));
        }

        return runs;
    }

    public async Task<IReadOnlyList<IngestionRun>> HistoryAsync(string dataset, int take, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.IngestionRuns, cancellationToken).ConfigureAwait(false);
        var runs = new List<IngestionRun>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == dataset, maxPerPage: take, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(FromEntity(e));
            if (runs.Count >= take) break;
        }

        return runs;
    }

    private static string InvertedTicks(DateTimeOffset t) => (DateTimeOffset.MaxValue.UtcTicks - t.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(IngestionRun run, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Dataset"] = run.Dataset,
        ["Source"] = run.Source,
        ["Outcome"] = run.Outcome.ToString(),
        ["StartedUtc"] = run.StartedUtc,
        ["FinishedUtc"] = run.FinishedUtc,
        ["Fetched"] = run.Fetched,
        ["Inserted"] = run.Inserted,
        ["Updated"] = run.Updated,
        ["Unchanged"] = run.Unchanged,
        ["Error"] = run.Error is { Length: > 4000 } e ? e[..4000] : run.Error,
        ["EvaluationEnqueued"] = run.EvaluationEnqueued,
    };

    private static IngestionRun FromEntity(TableEntity e) => new()
    {
        Dataset = e.GetString("Dataset") ?? e.RowKey,
        Source = e.GetString("Source") ?? "",
        Outcome = Enum.TryParse<RunOutcome>(e.GetString("Outcome"), out var o) ? o : RunOutcome.Failed,
        StartedUtc = e.GetDateTimeOffset("StartedUtc") ?? default,
        FinishedUtc = e.GetDateTimeOffset("FinishedUtc") ?? default,
        Fetched = e.GetInt32("Fetched") ?? 0,
        Inserted = e.GetInt32("Inserted") ?? 0,
        Updated = e.GetInt32("Updated") ?? 0,
        Unchanged = e.GetInt32("Unchanged") ?? 0,
        Error = e.GetString("Error"),
        EvaluationEnqueued = e.GetBoolean("EvaluationEnqueued") ?? false,
    };

    [LoggerMessage(EventId = TelemetryEvents.IngestionRunId, EventName = nameof(TelemetryEvents.IngestionRun), Level = LogLevel.Information,
        Message = "Ingestion run {Dataset} from {Source}: {Outcome} ({Fetched} fetched, {Inserted} new, {Updated} changed, {Unchanged} unchanged, evaluation enqueued {EvaluationEnqueued}) {Error}")]
    private partial void LogRun(string dataset, string source, RunOutcome outcome, int fetched, int inserted, int updated, int unchanged, bool evaluationEnqueued, string? error);
}
