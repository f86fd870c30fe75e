using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Storage;

/// <summary>Weeks in table WeeklyFlows: PartitionKey = "coinshares", RowKey = week-ending Friday (yyyy-MM-dd).</summary>
public sealed class WeeklyFlowStore(TapewatchStorage storage)
{
    public const string Partition = "coinshares";

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
