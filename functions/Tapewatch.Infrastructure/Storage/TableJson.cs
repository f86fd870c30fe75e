using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Tapewatch.Infrastructure.Storage;

/// <summary>Helpers for the entity shapes: money as whole USD in long, decimals as invariant strings.</summary>
public static class TableValues
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Decimals are kept as invariant strings (Table Storage has no decimal type).</summary>
    public static string? ToText(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal? FromText(string? text) =>
        decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static decimal? GetDecimal(this TableEntity entity, string key) => FromText(entity.GetString(key));

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Year(DateOnly date) => date.Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Every entity of a table keyed PartitionKey = year, RowKey = yyyy-MM-dd with a RowKey in [from, to]
    /// (one range query per year), optionally projecting <paramref name="select"/>.
    /// </summary>
    public static async IAsyncEnumerable<TableEntity> QueryDateRangeAsync(
        this TableClient table,
        DateOnly from,
        DateOnly to,
        IEnumerable<string>? select = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lo = Date(from);
        var hi = Date(to);
        foreach (var year in Years(from, to))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {year} and RowKey ge {lo} and RowKey le {hi}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
    }

    /// <summary>Partition keys (years) covering [from, to].</summary>
    public static IEnumerable<string> Years(DateOnly from, DateOnly to)
    {
        for (var y = from.Year; y <= to.Year; y++) yield return y.ToString(CultureInfo.InvariantCulture);
    }
}
