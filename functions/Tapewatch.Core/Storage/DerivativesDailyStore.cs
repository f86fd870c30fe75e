using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Storage;

/// <summary>Daily derivatives snapshots in table DerivativesDaily: PartitionKey = year, RowKey = session (yyyy-MM-dd).</summary>
public sealed class DerivativesDailyStore(TapewatchStorage storage)
{
    public async Task<IReadOnlyList<DerivativesDaily>> GetRangeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        var result = new List<DerivativesDaily>();
        foreach (var year in TableValues.Years(from, to))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {year} and RowKey ge {TableValues.Date(from)} and RowKey le {TableValues.Date(to)}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                result.Add(FromEntity(e));
            }
        }

        return result.OrderBy(d => d.Session).ToList();
    }

    public async Task<(DerivativesDaily Reading, ETag ETag)?> GetAsync(DateOnly session, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableValues.Year(session), TableValues.Date(session), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? (FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    public static TableEntity ToEntity(DerivativesDaily d) => new(TableValues.Year(d.Session), TableValues.Date(d.Session))
    {
        ["AsOfUtc"] = d.AsOfUtc,
        ["Basis3mAnnualizedPct"] = TableValues.ToText(d.Basis3mAnnualizedPct),
        ["FundingAnnualizedPct"] = TableValues.ToText(d.FundingAnnualizedPct),
        ["OffshoreOpenInterestBtc"] = TableValues.ToText(d.OffshoreOpenInterestBtc),
        ["OffshoreOpenInterestChange5SessionsPct"] = TableValues.ToText(d.OffshoreOpenInterestChange5SessionsPct),
        ["CmeOpenInterestBtc"] = TableValues.ToText(d.CmeOpenInterestBtc),
        ["CmeOpenInterestChangeBtc"] = TableValues.ToText(d.CmeOpenInterestChangeBtc),
        ["CmeReportDate"] = d.CmeReportDate is { } r ? TableValues.Date(r) : null,
        ["BtcCloseUsd"] = TableValues.ToText(d.BtcCloseUsd),
        ["Venues"] = string.Join(',', d.Venues),
        ["Illustrative"] = d.Illustrative,
    };

    public static DerivativesDaily FromEntity(TableEntity e) => new()
    {
        Session = TableValues.ParseDate(e.RowKey),
        AsOfUtc = e.GetDateTimeOffset("AsOfUtc") ?? default,
        Basis3mAnnualizedPct = e.GetDecimal("Basis3mAnnualizedPct"),
        FundingAnnualizedPct = e.GetDecimal("FundingAnnualizedPct"),
        OffshoreOpenInterestBtc = e.GetDecimal("OffshoreOpenInterestBtc"),
        OffshoreOpenInterestChange5SessionsPct = e.GetDecimal("OffshoreOpenInterestChange5SessionsPct"),
        CmeOpenInterestBtc = e.GetDecimal("CmeOpenInterestBtc"),
        CmeOpenInterestChangeBtc = e.GetDecimal("CmeOpenInterestChangeBtc"),
        CmeReportDate = e.GetString("CmeReportDate") is { Length: > 0 } r ? TableValues.ParseDate(r) : null,
        BtcCloseUsd = e.GetDecimal("BtcCloseUsd"),
        Venues = (e.GetString("Venues") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Illustrative = e.GetBoolean("Illustrative") ?? false,
    };
}
