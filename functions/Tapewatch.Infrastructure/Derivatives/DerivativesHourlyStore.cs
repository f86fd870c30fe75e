using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>
/// Hourly readings in table DerivativesHourly: PartitionKey = UTC date (yyyy-MM-dd), RowKey = "HHmmss-venue" of the
/// reading's time, one row per venue plus a "composite" row. Written once (a rerun on the same data is unchanged).
/// </summary>
public sealed class DerivativesHourlyStore(TapewatchStorage storage)
{
    public const string Composite = "composite";

    public sealed record Row(string Venue, DateTimeOffset AsOfUtc, decimal? FundingRate8h, decimal? FundingAnnualizedPct, decimal? OpenInterestBtc, decimal? OpenInterestUsd, decimal? IndexPriceUsd, decimal? Basis3mAnnualizedPct, string? Detail, string Status, string? Notes);

    /// <summary>Writes the reading's rows; returns (inserted, unchanged).</summary>
    public async Task<(int Inserted, int Unchanged)> AddAsync(DerivativesReading reading, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesHourly, cancellationToken).ConfigureAwait(false);
        var rows = reading.Venues.Where(v => v.Reading is not null).Select(v => ToEntity(v.Reading!, v.Status.ToString()))
            .Append(CompositeEntity(reading))
            .ToList();
        int inserted = 0, unchanged = 0;
        foreach (var e in rows)
        {
            try
            {
                await table.AddEntityAsync(e, cancellationToken).ConfigureAwait(false);
                inserted++;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                unchanged++;
            }
        }

        return (inserted, unchanged);
    }

    /// <summary>Per venue, the stored open interest nearest <paramref name="at"/> within <paramref name="tolerance"/>.</summary>
    public async Task<IReadOnlyDictionary<string, OpenInterestPoint>> OpenInterestNearAsync(DateTimeOffset at, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        var rows = await RangeAsync(at - tolerance, at + tolerance, cancellationToken).ConfigureAwait(false);
        return rows
            .Where(r => r.Venue != Composite && r.OpenInterestBtc is > 0 && r.Status is "Ok" or "Partial")
            .GroupBy(r => r.Venue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => (r.AsOfUtc - at).Duration()).Select(r => new OpenInterestPoint(r.AsOfUtc, r.OpenInterestBtc!.Value)).First(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Row>> RangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.DerivativesHourly, cancellationToken).ConfigureAwait(false);
        var result = new List<Row>();
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            var pk = TableValues.Date(day);
            await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == pk, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var row = FromEntity(e);
                if (row.AsOfUtc >= from && row.AsOfUtc <= to) result.Add(row);
            }
        }

        return result.OrderBy(r => r.AsOfUtc).ToList();
    }

    private static string RowKey(DateTimeOffset asOf, string venue) => asOf.UtcDateTime.ToString("HHmmss", CultureInfo.InvariantCulture) + "-" + venue;

    private static TableEntity ToEntity(VenueReading r, string status) => new(TableValues.Date(DateOnly.FromDateTime(r.AsOfUtc.UtcDateTime)), RowKey(r.AsOfUtc, r.Venue))
    {
        ["Venue"] = r.Venue,
        ["AsOfUtc"] = r.AsOfUtc,
        ["Status"] = status,
        ["FundingRate8h"] = TableValues.ToText(r.FundingRate8h),
        ["FundingAnnualizedPct"] = TableValues.ToText(r.FundingAnnualizedPct),
        ["OpenInterestBtc"] = TableValues.ToText(r.OpenInterestBtc),
        ["OpenInterestUsd"] = TableValues.ToText(r.OpenInterestUsd),
        ["IndexPriceUsd"] = TableValues.ToText(r.IndexPriceUsd),
        ["Basis3mAnnualizedPct"] = TableValues.ToText(r.Basis3mAnnualizedPct),
        ["Detail"] = r.BasisDetail,
        ["Notes"] = Truncate(string.Join("; ", r.Notes)),
    };

    private static TableEntity CompositeEntity(DerivativesReading c) => new(TableValues.Date(DateOnly.FromDateTime(c.AsOfUtc.UtcDateTime)), RowKey(c.AsOfUtc, Composite))
    {
        ["Venue"] = Composite,
        ["AsOfUtc"] = c.AsOfUtc,
        ["Status"] = c.Venues.Any(v => v.Usable) ? "Ok" : "Failed",
        ["FundingRate8h"] = TableValues.ToText(c.FundingRate8h),
        ["FundingAnnualizedPct"] = TableValues.ToText(c.FundingAnnualizedPct),
        ["OpenInterestBtc"] = TableValues.ToText(c.OffshoreOpenInterestBtc),
        ["OpenInterestUsd"] = TableValues.ToText(c.OffshoreOpenInterestUsd),
        ["IndexPriceUsd"] = TableValues.ToText(c.IndexPriceUsd),
        ["Basis3mAnnualizedPct"] = TableValues.ToText(c.Basis3mAnnualizedPct),
        ["Detail"] = $"funding: {string.Join(',', c.FundingVenues)}; basis: {string.Join(',', c.BasisVenues)}; oi: {string.Join(',', c.OpenInterestVenues)}",
        ["Notes"] = Truncate(string.Join("; ", c.Notes)),
    };

    private static Row FromEntity(TableEntity e) => new(
        e.GetString("Venue") ?? "",
        e.GetDateTimeOffset("AsOfUtc") ?? default,
        e.GetDecimal("FundingRate8h"),
        e.GetDecimal("FundingAnnualizedPct"),
        e.GetDecimal("OpenInterestBtc"),
        e.GetDecimal("OpenInterestUsd"),
        e.GetDecimal("IndexPriceUsd"),
        e.GetDecimal("Basis3mAnnualizedPct"),
        e.GetString("Detail"),
        e.GetString("Status") ?? "",
        e.GetString("Notes"));

    private static string Truncate(string s) => s.Length > 8000 ? s[..8000] : s;
}
