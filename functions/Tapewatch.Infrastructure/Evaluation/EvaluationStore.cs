using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Evaluation;

/// <summary>
/// The current evaluation (one entity: Evaluations/current/regime, so GET /api/regime reads one row) and one
/// history row per session (EvaluationHistory: PartitionKey = year, RowKey = session). The evaluation is
/// stored as JSON (StoredJson) split across string properties below the 32K-character limit.
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

    /// <summary>
    /// The current evaluation's JSON as UTF-8, from a process-wide cache (one table read per <paramref name="maxAge"/>
    /// however many requests; concurrent misses share one read). When the cached copy is older than
    /// <paramref name="maxAge"/>, one request starts the read of the next copy and every request keeps getting the cached
    /// one until that read completes (so no request waits on storage just because the copy expired: tail latency; a copy
    /// is at most <paramref name="maxAge"/> plus one read old). A save of the current evaluation through this store
    /// invalidates the copy at once (the next request waits for the new one); a save by another process (the evaluator on
    /// another instance) shows after at most <paramref name="maxAge"/> plus one read. A failed or cancelled read is not
    /// kept: the next request reads again and waits. Ages are measured on <see cref="CacheClock"/> (the monotonic system
    /// clock; tests freeze the app's <see cref="TimeProvider"/>). <paramref name="maxAge"/> ≤ 0 reads the table every time.
    /// </summary>
    public async Task<byte[]?> GetCurrentJsonUtf8Async(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (maxAge <= TimeSpan.Zero) return Utf8(await GetCurrentJsonAsync(cancellationToken).ConfigureAwait(false));
        Task<byte[]?> read;
        lock (_cacheLock)
        {
            var now = CacheClock.GetTimestamp();
            var version = Volatile.Read(ref _currentVersion);
            if (_cached is { } c && c.Version == version && !c.Read.IsFaulted && !c.Read.IsCanceled)
            {
                if (!c.Read.IsCompleted && c.HasPrevious) return c.Previous; // the next copy is being read
                if (CacheClock.GetElapsedTime(c.Started, now) < maxAge || !c.Read.IsCompleted)
                {
                    read = c.Read;
                }
                else
                {
                    // Expired: this request starts the next read and, like every request until it completes, gets this copy.
                    var current = c.Read.Result;
                    _cached = new CachedCopy(ReadUtf8Async(), version, now, current, HasPrevious: true);
                    return current;
                }
            }
            else
            {
                // Not tied to this request's token: other requests may wait on the same read.
                read = ReadUtf8Async();
                _cached = new CachedCopy(read, version, now, null, HasPrevious: false);
            }
        }

        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The clock that ages the cached copy of the current evaluation (<see cref="GetCurrentJsonUtf8Async"/>).</summary>
    internal TimeProvider CacheClock { get; init; } = TimeProvider.System;

    private readonly Lock _cacheLock = new();
    private CachedCopy? _cached;
    private long _currentVersion;

    /// <summary>A read of the current evaluation (<paramref name="Read"/>, started at <paramref name="Started"/>, for the
    /// store's <paramref name="Version"/>) and, while it runs, the copy it replaces.</summary>
    private sealed record CachedCopy(Task<byte[]?> Read, long Version, long Started, byte[]? Previous, bool HasPrevious);

    private async Task<byte[]?> ReadUtf8Async() => Utf8(await GetCurrentJsonAsync(CancellationToken.None).ConfigureAwait(false));

    private static byte[]? Utf8(string? json) => string.IsNullOrEmpty(json) ? null : System.Text.Encoding.UTF8.GetBytes(json);

    public async Task<IReadOnlyList<RegimeEvaluation>> GetHistoryAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EvaluationHistory, cancellationToken).ConfigureAwait(false);
        var result = new List<RegimeEvaluation>();
        await foreach (var e in table.QueryDateRangeAsync(from, to, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read(e));
        }

        return result.OrderBy(r => r.AsOfSession).ToList();
    }

    /// <summary>
    /// Stores the current evaluation with ETag concurrency: an evaluation of an earlier session, or of the same
    /// session from older inputs, never replaces the stored one; an identical one (same content, whatever its
    /// EvaluatedUtc) is not rewritten.
    /// </summary>
    public Task<SaveOutcome> SaveCurrentAsync(RegimeEvaluation evaluation, DateTimeOffset inputsWatermark, CancellationToken cancellationToken) =>
        SaveAsync(TableNames.Evaluations, CurrentPartition, CurrentRow, evaluation, inputsWatermark, null, cancellationToken);

    /// <summary>Stores the history row of the evaluation's session (one row per session) with the same rules as the current one.</summary>
    public Task<SaveOutcome> SaveHistoryAsync(RegimeEvaluation evaluation, DateTimeOffset inputsWatermark, CancellationToken cancellationToken, TableEntity? knownExisting = null) =>
        SaveAsync(TableNames.EvaluationHistory, TableValues.Year(evaluation.AsOfSession), TableValues.Date(evaluation.AsOfSession), evaluation, inputsWatermark, knownExisting, cancellationToken);

    /// <summary>The stored history rows of [from, to] without their JSON (fingerprint, watermark, ETag), by session.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, TableEntity>> GetHistoryStampsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EvaluationHistory, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<DateOnly, TableEntity>();
        await foreach (var e in table.QueryDateRangeAsync(from, to, ["AsOfSession", FingerprintProperty, WatermarkProperty], cancellationToken).ConfigureAwait(false))
        {
            if (e.GetString("AsOfSession") is { Length: > 0 } d) result[TableValues.ParseDate(d)] = e;
        }

        return result;
    }

    /// <summary>A hash of the evaluation's content, EvaluatedUtc excluded: equal fingerprints = the same evaluation.</summary>
    public static string Fingerprint(RegimeEvaluation evaluation)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(evaluation with { EvaluatedUtc = default }, StoredJson.Options);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(json));
    }

    private const string FingerprintProperty = "Fingerprint";
    private const string WatermarkProperty = "InputsWatermark";
    private const int MaxAttempts = 5;

    private async Task<SaveOutcome> SaveAsync(string tableName, string partitionKey, string rowKey, RegimeEvaluation evaluation, DateTimeOffset watermark, TableEntity? knownExisting, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var entity = ToEntity(partitionKey, rowKey, evaluation);
        var fingerprint = Fingerprint(evaluation);
        entity[FingerprintProperty] = fingerprint;
        entity[WatermarkProperty] = watermark;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            TableEntity? existing;
            if (attempt == 0 && knownExisting is not null)
            {
                existing = knownExisting;
            }
            else
            {
                var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select: ["AsOfSession", FingerprintProperty, WatermarkProperty], cancellationToken: cancellationToken).ConfigureAwait(false);
                existing = response.HasValue ? response.Value : null;
            }

            try
            {
                if (existing is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                    Invalidate(tableName);
                    return SaveOutcome.Added;
                }

                var storedAsOf = existing.GetString("AsOfSession") is { Length: > 0 } a ? TableValues.ParseDate(a) : DateOnly.MinValue;
                var storedWatermark = existing.GetDateTimeOffset(WatermarkProperty) ?? DateTimeOffset.MinValue;
                if (storedAsOf > evaluation.AsOfSession) return SaveOutcome.Superseded;
                if (storedAsOf == evaluation.AsOfSession && storedWatermark > watermark) return SaveOutcome.Superseded;
                if (storedAsOf == evaluation.AsOfSession && existing.GetString(FingerprintProperty) == fingerprint) return SaveOutcome.Unchanged;
                await table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                Invalidate(tableName);
                return SaveOutcome.Updated;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                // Another evaluator wrote (or removed) the row between our read and write: read again and decide again.
            }
        }

        throw new InvalidOperationException($"Could not store evaluation {partitionKey}/{rowKey} after {MaxAttempts} attempts: concurrent writers kept changing it.");
    }

    private void Invalidate(string tableName)
    {
        if (tableName == TableNames.Evaluations) Interlocked.Increment(ref _currentVersion);
    }

    public static TableEntity ToEntity(string partitionKey, string rowKey, RegimeEvaluation evaluation)
    {
        var json = JsonSerializer.Serialize(evaluation, StoredJson.Options);
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
        JsonSerializer.Deserialize<RegimeEvaluation>(Join(entity), StoredJson.Options)
        ?? throw new InvalidOperationException($"Evaluation {entity.PartitionKey}/{entity.RowKey} is empty.");

    private static string Join(TableEntity entity)
    {
        var chunks = entity.GetInt32("JsonChunks") ?? 0;
        return string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString("Json" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}

/// <summary>What storing an evaluation did.</summary>
public enum SaveOutcome
{
    Added,
    Updated,

    /// <summary>The stored evaluation already had the same content.</summary>
    Unchanged,

    /// <summary>A later session, or the same session from newer inputs, is stored: ours was dropped.</summary>
    Superseded,
}
