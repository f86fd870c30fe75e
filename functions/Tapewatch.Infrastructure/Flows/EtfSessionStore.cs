using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Infrastructure.Flows;

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
        await foreach (var e in table.QueryDateRangeAsync(from, to, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(e));
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

    /// <summary>Sessions in [from, to] with the ETags to guard an update with.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, (EtfSession Session, ETag ETag)>> GetRangeWithETagsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EtfSessions, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<DateOnly, (EtfSession, ETag)>();
        await foreach (var e in table.QueryDateRangeAsync(from, to, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var session = FromEntity(e);
            result[session.Date] = (session, e.ETag);
        }

        return result;
    }

    /// <summary>
    /// Writes inserted and updated sessions in entity-group transactions of at most 100 per partition (year):
    /// inserts fail if the row appeared meanwhile, updates carry the ETag read before (optimistic concurrency).
    /// After each session batch its revision rows are written to EtfRevisions (deterministic keys, so a
    /// retried run rewrites the same rows). Throws <see cref="EtfSessionConflictException"/> when another
    /// writer got there first; batches written before it stay written (each is consistent on its own).
    /// </summary>
    public async Task ApplyAsync(
        IReadOnlyList<(EtfSession Session, ETag? ETag, IReadOnlyList<EtfRevision> Revisions)> changes,
        CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return;
        var sessions = await storage.TableAsync(TableNames.EtfSessions, cancellationToken).ConfigureAwait(false);
        var revisions = await storage.TableAsync(TableNames.EtfRevisions, cancellationToken).ConfigureAwait(false);
        foreach (var partition in changes.GroupBy(c => TableValues.Year(c.Session.Date)))
        {
            foreach (var chunk in partition.OrderBy(c => c.Session.Date).Chunk(MaxBatch))
            {
                var actions = chunk.Select(c => c.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(c.Session), etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, ToEntity(c.Session))).ToList();
                try
                {
                    await sessions.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
                {
                    var failed = ex.FailedTransactionActionIndex is { } i && i < chunk.Length ? chunk[i].Session.Date : chunk[0].Session.Date;
                    throw new EtfSessionConflictException($"Session {TableValues.Date(failed)} was changed by another writer (HTTP {ex.Status}).", ex);
                }

                foreach (var revisionChunk in chunk.SelectMany(c => c.Revisions).Select(ToEntity).Chunk(MaxBatch))
                {
                    await revisions.SubmitTransactionAsync(
                        revisionChunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                        cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The revision log of one session, oldest first.</summary>
    public async Task<IReadOnlyList<EtfRevision>> GetRevisionsAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.EtfRevisions, cancellationToken).ConfigureAwait(false);
        var prefix = TableValues.Date(date) + "_";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableValues.Year(date)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var result = new List<EtfRevision>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new EtfRevision
            {
                Date = TableValues.ParseDate(e.GetString("Date") ?? TableValues.Date(date)),
                Field = e.GetString("Field") ?? "",
                OldUsdM = e.GetInt64("OldUsd") is { } o ? Money.MillionsFromUsd(o) : null,
                NewUsdM = e.GetInt64("NewUsd") is { } n ? Money.MillionsFromUsd(n) : null,
                ChangedUtc = e.GetDateTimeOffset("ChangedUtc") ?? default,
                Source = e.GetString("Source") ?? "",
                PreviousSource = e.GetString("PreviousSource"),
                Revision = e.GetInt32("Revision") ?? 0,
            });
        }

        return result.OrderBy(r => r.Revision).ThenBy(r => r.Field, StringComparer.Ordinal).ToList();
    }

    /// <summary>Entity-group transactions take at most 100 operations.</summary>
    public const int MaxBatch = 100;

    private static TableEntity ToEntity(EtfRevision r) => new(TableValues.Year(r.Date), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TableValues.Date(r.Date)}_{r.Revision:D4}_{r.Field}"))
    {
        ["Date"] = TableValues.Date(r.Date),
        ["Field"] = r.Field,
        ["OldUsd"] = r.OldUsdM is { } o ? Money.UsdFromMillions(o) : null,
        ["NewUsd"] = r.NewUsdM is { } n ? Money.UsdFromMillions(n) : null,
        ["ChangedUtc"] = r.ChangedUtc,
        ["Source"] = r.Source,
        ["PreviousSource"] = r.PreviousSource,
        ["Revision"] = r.Revision,
    };

    public static TableEntity ToEntity(EtfSession s) => new(TableValues.Year(s.Date), TableValues.Date(s.Date))
    {
        ["FundsUsd"] = JsonSerializer.Serialize(s.Funds.ToDictionary(f => f.Key, f => f.Value is { } m ? Money.UsdFromMillions(m) : (long?)null), TableValues.Json),
        ["FundOrder"] = string.Join(',', s.Funds.Keys),
        ["TotalUsd"] = Money.UsdFromMillions(s.TotalUsdM),
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
            if (funds.TryGetValue(key, out var usd)) ordered[key] = usd is { } v ? Money.MillionsFromUsd(v) : null;
        }

        return new EtfSession
        {
            Date = TableValues.ParseDate(e.RowKey),
            Funds = ordered,
            TotalUsdM = Money.MillionsFromUsd(e.GetInt64("TotalUsd") ?? 0),
            Status = Enum.TryParse<SessionStatus>(e.GetString("Status"), out var st) ? st : SessionStatus.Provisional,
            Source = e.GetString("Source") ?? "",
            FirstSeenUtc = e.GetDateTimeOffset("FirstSeenUtc") ?? default,
            LastChangedUtc = e.GetDateTimeOffset("LastChangedUtc") ?? default,
            Revision = e.GetInt32("Revision") ?? 0,
        };
    }
}

/// <summary>Another writer inserted or changed a session between our read and our write.</summary>
public sealed class EtfSessionConflictException(string message, Exception inner) : Exception(message, inner);
