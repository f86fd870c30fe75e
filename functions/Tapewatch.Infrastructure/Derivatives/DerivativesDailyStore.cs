using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>Daily derivatives snapshots in table DerivativesDaily: PartitionKey = year, RowKey = session (yyyy-MM-dd).</summary>
public sealed class DerivativesDailyStore(TapewatchStorage storage)
{
    public async Task<IReadOnlyList<DerivativesDaily>> GetRangeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        var result = new List<DerivativesDaily>();
        await foreach (var e in table.QueryDateRangeAsync(from, to, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(e));
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
        ["OffshoreOpenInterestUsd"] = TableValues.ToText(d.OffshoreOpenInterestUsd),
        ["FundingVenues"] = string.Join(',', d.FundingVenues),
        ["BasisVenues"] = string.Join(',', d.BasisVenues),
        ["OpenInterestVenues"] = string.Join(',', d.OpenInterestVenues),
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
        OffshoreOpenInterestUsd = e.GetDecimal("OffshoreOpenInterestUsd"),
        FundingVenues = (e.GetString("FundingVenues") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        BasisVenues = (e.GetString("BasisVenues") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        OpenInterestVenues = (e.GetString("OpenInterestVenues") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>Adds the snapshot; false when one already exists for the session (nothing written).</summary>
    public async Task<bool> TryAddAsync(DerivativesDaily reading, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(reading), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the snapshot if it still has <paramref name="etag"/> (throws 412 otherwise).</summary>
    public async Task ReplaceAsync(DerivativesDaily reading, ETag etag, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        await table.UpdateEntityAsync(ToEntity(reading), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when both snapshots store the same values (times compared to the millisecond).</summary>
    public static bool SameValues(DerivativesDaily a, DerivativesDaily b)
    {
        var x = ToEntity(a);
        var y = ToEntity(b);
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && Equals(Normalize(kv.Value), Normalize(v)));
    }

    private static object? Normalize(object? value) => value switch
    {
        DateTimeOffset d => d.UtcTicks / TimeSpan.TicksPerMillisecond,
        string { Length: 0 } => null,
        _ => value,
    };
}
