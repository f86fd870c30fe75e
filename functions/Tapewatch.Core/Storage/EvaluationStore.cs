using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Http;
using Tapewatch.Core.Rules;

namespace Tapewatch.Core.Storage;

/// <summary>
/// The current evaluation (one entity: Evaluations/current/regime, so GET /api/regime reads one row) and one
/// history row per session (EvaluationHistory: PartitionKey = year, RowKey = session). The evaluation is
/// stored as JSON (ApiJson) split across string properties below the 32K-character limit.
/// </summary>
public sealed class EvaluationStore(TapewatchStorage storage)
{
    public const string CurrentPartition = "current";
    public const string CurrentRow = "regime";
    private const int ChunkChars = 30_000;

    public async Task<(RegimeEvaluation Evaluation, ETag ETag)?> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Evaluations, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CurrentPartition, CurrentRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? (Read(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>The stored JSON of the current evaluation, as-is (for serving without re-serialising).</summary>
    public async Task<string?> GetCurrentJsonAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Evaluations, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CurrentPartition, CurrentRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? Join(response.Value!) : null;
    }

    public async Task<IReadOnlyList<RegimeEvaluation>> GetHistoryAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EvaluationHistory, cancellationToken).ConfigureAwait(false);
        var result = new List<RegimeEvaluation>();
        foreach (var year in TableValues.Years(from, to))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {year} and RowKey ge {TableValues.Date(from)} and RowKey le {TableValues.Date(to)}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                result.Add(Read(e));
            }
        }

        return result.OrderBy(r => r.AsOfSession).ToList();
    }

    public static TableEntity ToEntity(string partitionKey, string rowKey, RegimeEvaluation evaluation)
    {
        var json = JsonSerializer.Serialize(evaluation, ApiJson.Options);
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["AsOfSession"] = TableValues.Date(evaluation.AsOfSession),
            ["Regime"] = evaluation.Regime.ToString(),
            ["Provisional"] = evaluation.Provisional,
            ["EvaluatedUtc"] = evaluation.EvaluatedUtc,
        };
        var chunks = 0;
        for (var i = 0; i < json.Length; i += ChunkChars, chunks++)
        {
            entity["Json" + chunks.ToString(System.Globalization.CultureInfo.InvariantCulture)] = json.Substring(i, Math.Min(ChunkChars, json.Length - i));
        }

        entity["JsonChunks"] = chunks;
        return entity;
    }

    public static RegimeEvaluation Read(TableEntity entity) =>
        JsonSerializer.Deserialize<RegimeEvaluation>(Join(entity), ApiJson.Options)
        ?? throw new InvalidOperationException($"Evaluation {entity.PartitionKey}/{entity.RowKey} is empty.");

    private static string Join(TableEntity entity)
    {
        var chunks = entity.GetInt32("JsonChunks") ?? 0;
        return string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString("Json" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}
