using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Weekly;

/// <summary>How an upsert left a week.</summary>
public enum WeeklyUpsertOutcome
{
    Inserted,
    Updated,
    Unchanged,
}

/// <summary>The week as stored after an upsert, and what it replaced (null for an insert).</summary>
public sealed record WeeklyUpsertResult(WeeklyUpsertOutcome Outcome, WeeklyFundFlow Stored, WeeklyFundFlow? Previous)
{
    public bool Changed => Outcome != WeeklyUpsertOutcome.Unchanged;
}

/// <summary>One change of a stored week: the values before and after (table WeeklyRevisions).</summary>
public sealed record WeeklyRevision(DateOnly WeekEnding, int Revision, DateTimeOffset ChangedUtc, string Source, WeeklyFundFlow Previous, WeeklyFundFlow Current, string Changes);

/// <summary>
/// Weeks in table WeeklyFlows: PartitionKey = "coinshares", RowKey = week-ending Friday (yyyy-MM-dd).
/// Changes are logged in table WeeklyRevisions: PartitionKey = week-ending Friday, RowKey = revision (D6).
/// </summary>
public sealed class WeeklyFlowStore(TapewatchStorage storage)
{
    public const string Partition = "coinshares";

    private const int MaxAttempts = 5;

    public async Task<IReadOnlyList<WeeklyFundFlow>> GetRangeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WeeklyFlows, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {TableValues.Date(from)} and RowKey le {TableValues.Date(to)}");
        var result = new List<WeeklyFundFlow>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(e));
        }

        return result.OrderBy(w => w.WeekEnding).ToList();
    }

    public async Task<(WeeklyFundFlow Week, ETag ETag)?> GetAsync(DateOnly weekEnding, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WeeklyFlows, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableValues.Date(weekEnding), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? (FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>
    /// Stores the week if it is new or its figures differ (total, assets, regions, AuM); a change bumps
    /// Revision and writes a revision row. ETag-guarded: a concurrent writer makes this re-read and retry.
    /// Publication date or source alone are not a change.
    /// </summary>
    public async Task<WeeklyUpsertResult> UpsertAsync(WeeklyFundFlow week, DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(week);
        var table = await storage.TableAsync(TableNames.WeeklyFlows, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(week.WeekEnding, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is null)
                {
                    var inserted = week with { Revision = 1, LastChangedUtc = nowUtc };
                    await table.AddEntityAsync(ToEntity(inserted), cancellationToken).ConfigureAwait(false);
                    return new WeeklyUpsertResult(WeeklyUpsertOutcome.Inserted, inserted, null);
                }

                var (previous, etag) = existing.Value;
                if (SameFigures(previous, week)) return new WeeklyUpsertResult(WeeklyUpsertOutcome.Unchanged, previous, previous);

                var updated = week with { Revision = previous.Revision + 1, LastChangedUtc = nowUtc };
                await table.UpdateEntityAsync(ToEntity(updated), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                var revisions = await storage.TableAsync(TableNames.WeeklyRevisions, cancellationToken).ConfigureAwait(false);
                await revisions.UpsertEntityAsync(ToRevisionEntity(previous, updated), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new WeeklyUpsertResult(WeeklyUpsertOutcome.Updated, updated, previous);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Someone else wrote this week between our read and our write: read again.
            }
        }
    }

    /// <summary>The revision log of one week, oldest first.</summary>
    public async Task<IReadOnlyList<WeeklyRevision>> GetRevisionsAsync(DateOnly weekEnding, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WeeklyRevisions, cancellationToken).ConfigureAwait(false);
        var result = new List<WeeklyRevision>();
        var partition = TableValues.Date(weekEnding);
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new WeeklyRevision(
                weekEnding,
                e.GetInt32("Revision") ?? 0,
                e.GetDateTimeOffset("ChangedUtc") ?? default,
                e.GetString("Source") ?? "",
                JsonSerializer.Deserialize<WeeklyFundFlow>(e.GetString("PreviousJson") ?? "null", TableValues.Json)!,
                JsonSerializer.Deserialize<WeeklyFundFlow>(e.GetString("CurrentJson") ?? "null", TableValues.Json)!,
                e.GetString("Changes") ?? ""));
        }

        return result.OrderBy(r => r.Revision).ToList();
    }

    /// <summary>True when the figures (not the bookkeeping) are the same.</summary>
    public static bool SameFigures(WeeklyFundFlow a, WeeklyFundFlow b) =>
        a.TotalUsd == b.TotalUsd && a.AumUsd == b.AumUsd && SameMap(a.Assets, b.Assets) && SameMap(a.Regions, b.Regions);

    /// <summary>"TotalUsd -1170000000 → -1200000000; Assets.Bitcoin -946000000 → (absent)".</summary>
    public static string DescribeChanges(WeeklyFundFlow before, WeeklyFundFlow after)
    {
        var changes = new List<string>();
        void Add(string name, long? x, long? y)
        {
            if (x != y) changes.Add($"{name} {Show(x)} → {Show(y)}");
        }

        Add("TotalUsd", before.TotalUsd, after.TotalUsd);
        Add("AumUsd", before.AumUsd, after.AumUsd);
        foreach (var (prefix, x, y) in new[] { ("Assets", before.Assets, after.Assets), ("Regions", before.Regions, after.Regions) })
        {
            foreach (var key in x.Keys.Union(y.Keys).Order(StringComparer.Ordinal))
            {
                Add($"{prefix}.{key}", x.TryGetValue(key, out var v1) ? v1 : null, y.TryGetValue(key, out var v2) ? v2 : null);
            }
        }

        return string.Join("; ", changes);

        static string Show(long? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(absent)";
    }

    private static bool SameMap(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static TableEntity ToRevisionEntity(WeeklyFundFlow previous, WeeklyFundFlow current) =>
        new(TableValues.Date(current.WeekEnding), current.Revision.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Revision"] = current.Revision,
            ["ChangedUtc"] = current.LastChangedUtc,
            ["Source"] = current.Source,
            ["PreviousSource"] = previous.Source,
            ["PreviousTotalUsd"] = previous.TotalUsd,
            ["TotalUsd"] = current.TotalUsd,
            ["Changes"] = DescribeChanges(previous, current),
            ["PreviousJson"] = JsonSerializer.Serialize(previous, TableValues.Json),
            ["CurrentJson"] = JsonSerializer.Serialize(current, TableValues.Json),
        };

    public static TableEntity ToEntity(WeeklyFundFlow w) => new(Partition, TableValues.Date(w.WeekEnding))
    {
        ["PublishedOn"] = w.PublishedOn is { } p ? TableValues.Date(p) : null,
        ["TotalUsd"] = w.TotalUsd,
        ["AssetsUsd"] = JsonSerializer.Serialize(w.Assets, TableValues.Json),
        ["RegionsUsd"] = JsonSerializer.Serialize(w.Regions, TableValues.Json),
        ["AumUsd"] = w.AumUsd,
        ["Source"] = w.Source,
        ["Revision"] = w.Revision,
        ["LastChangedUtc"] = w.LastChangedUtc,
    };

    public static WeeklyFundFlow FromEntity(TableEntity e) => new()
    {
        WeekEnding = TableValues.ParseDate(e.RowKey),
        PublishedOn = e.GetString("PublishedOn") is { Length: > 0 } p ? TableValues.ParseDate(p) : null,
        TotalUsd = e.GetInt64("TotalUsd") ?? 0,
        Assets = JsonSerializer.Deserialize<Dictionary<string, long>>(e.GetString("AssetsUsd") ?? "{}", TableValues.Json) ?? [],
        Regions = JsonSerializer.Deserialize<Dictionary<string, long>>(e.GetString("RegionsUsd") ?? "{}", TableValues.Json) ?? [],
        AumUsd = e.GetInt64("AumUsd"),
        Source = e.GetString("Source") ?? "",
        Revision = e.GetInt32("Revision") ?? 0,
        LastChangedUtc = e.GetDateTimeOffset("LastChangedUtc") ?? default,
    };
}
