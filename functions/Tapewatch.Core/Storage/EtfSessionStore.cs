using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Storage;

/// <summary>
/// Sessions in table EtfSessions: PartitionKey = year, RowKey = yyyy-MM-dd; funds as a JSON object of
/// whole USD (null = "-", not reported); TotalUsd as long.
/// </summary>
public sealed class EtfSessionStore(TapewatchStorage storage)
{
    public async Task<IReadOnlyList<EtfSession>> GetRangeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EtfSessions, cancellationToken).ConfigureAwait(false);
        var result = new List<EtfSession>();
        var lo = TableValues.Date(from);
        var hi = TableValues.Date(to);
        foreach (var year in TableValues.Years(from, to))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {year} and RowKey ge {lo} and RowKey le {hi}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                result.Add(FromEntity(e));
            }
        }

        return result.OrderBy(s => s.Date).ToList();
    }

    public async Task<(EtfSession Session, ETag ETag)?> GetAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EtfSessions, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableValues.Year(date), TableValues.Date(date), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? (FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>The latest stored session on or before <paramref name="onOrBefore"/>, looking back a year at most.</summary>
    public async Task<EtfSession?> GetLatestAsync(DateOnly onOrBefore, CancellationToken cancellationToken)
    {
        var sessions = await GetRangeAsync(onOrBefore.AddDays(-366), onOrBefore, cancellationToken).ConfigureAwait(false);
        return sessions.Count == 0 ? null : sessions[^1];
    }

    public static TableEntity ToEntity(EtfSession s) => new(TableValues.Year(s.Date), TableValues.Date(s.Date))
    {
        ["FundsUsd"] = JsonSerializer.Serialize(s.Funds.ToDictionary(f => f.Key, f => f.Value is { } m ? TableValues.UsdFromMillions(m) : (long?)null), TableValues.Json),
        ["FundOrder"] = string.Join(',', s.Funds.Keys),
        ["TotalUsd"] = TableValues.UsdFromMillions(s.TotalUsdM),
        ["Status"] = s.Status.ToString(),
        ["Source"] = s.Source,
        ["FirstSeenUtc"] = s.FirstSeenUtc,
        ["LastChangedUtc"] = s.LastChangedUtc,
        ["Revision"] = s.Revision,
    };

    public static EtfSession FromEntity(TableEntity e)
    {
        var funds = JsonSerializer.Deserialize<Dictionary<string, long?>>(e.GetString("FundsUsd") ?? "{}", TableValues.Json) ?? [];
        var order = (e.GetString("FundOrder") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var ordered = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        foreach (var key in order.Concat(funds.Keys).Distinct(StringComparer.Ordinal))
        {
            if (funds.TryGetValue(key, out var usd)) ordered[key] = usd is { } v ? TableValues.MillionsFromUsd(v) : null;
        }

        return new EtfSession
        {
            Date = TableValues.ParseDate(e.RowKey),
            Funds = ordered,
            TotalUsdM = TableValues.MillionsFromUsd(e.GetInt64("TotalUsd") ?? 0),
            Status = Enum.TryParse<SessionStatus>(e.GetString("Status"), out var st) ? st : SessionStatus.Provisional,
            Source = e.GetString("Source") ?? "",
            FirstSeenUtc = e.GetDateTimeOffset("FirstSeenUtc") ?? default,
            LastChangedUtc = e.GetDateTimeOffset("LastChangedUtc") ?? default,
            Revision = e.GetInt32("Revision") ?? 0,
        };
    }
}
