using Azure;
using Azure.Data.Tables;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts;

/// <summary>Another evaluator changed the ledger between our read and our write (ETag mismatch).</summary>
public sealed class AlertLedgerConflictException(string message, Exception inner) : Exception(message, inner);

/// <summary>The ledger as read, with the ETags that guard the write.</summary>
public sealed record StoredLedger(AlertLedger Ledger, IReadOnlyDictionary<string, ETag> ETags);

/// <summary>
/// Alert state in table Alerts: PartitionKey "alert", RowKey = alert identity; the cursor is RowKey "~cursor" in the same
/// partition, so one ETag-guarded transaction commits a whole decision (two racing evaluators: one wins, the other
/// re-reads and decides again).
/// </summary>
public sealed class AlertStore(TapewatchStorage storage)
{
    public const string Partition = "alert";
    public const string CursorRow = "~cursor";

    /// <summary>Resolved alerts older than this are not loaded (they only guard against re-firing a recent episode).</summary>
    private const int ResolvedLookbackDays = 400;

    public async Task<StoredLedger> LoadAsync(DateOnly session, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Alerts, cancellationToken).ConfigureAwait(false);
        var since = TableValues.Date(session.AddDays(-ResolvedLookbackDays));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and (RowKey eq {CursorRow} or Status eq {nameof(AlertStatus.Firing)} or LastSeenSession ge {since})");
        var alerts = new List<AlertState>();
        AlertCursor? cursor = null;
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            etags[e.RowKey] = e.ETag;
            if (e.RowKey == CursorRow) cursor = ReadCursor(e);
            else alerts.Add(ReadState(e));
        }

        return new StoredLedger(new AlertLedger(alerts, cursor), etags);
    }

    /// <summary>Every stored alert (newest first), for listings and tests.</summary>
    public async Task<IReadOnlyList<AlertState>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Alerts, cancellationToken).ConfigureAwait(false);
        var list = new List<AlertState>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.RowKey != CursorRow) list.Add(ReadState(e));
        }

        return [.. list.OrderByDescending(a => a.LastSeenSession).ThenBy(a => a.Identity, StringComparer.Ordinal)];
    }

    /// <summary>Writes the changed states and the cursor in one transaction; throws <see cref="AlertLedgerConflictException"/> on a lost race.</summary>
    public async Task CommitAsync(AlertDecision decision, IReadOnlyDictionary<string, ETag> etags, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var state in decision.Changed) actions.Add(Action(ToEntity(state), etags));
        if (decision.Cursor is not null) actions.Add(Action(ToEntity(decision.Cursor), etags));
        if (actions.Count == 0) return;

        var table = await storage.TableAsync(TableNames.Alerts, cancellationToken).ConfigureAwait(false);
        try
        {
            // A decision touches a handful of alerts; the 100-action limit of a transaction is far away, but chunk anyway.
            foreach (var chunk in actions.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new AlertLedgerConflictException("The alert ledger changed while deciding (another evaluator); decide again.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new AlertLedgerConflictException("The alert ledger changed while deciding (another evaluator); decide again.", ex);
        }
    }

    private static TableTransactionAction Action(TableEntity entity, IReadOnlyDictionary<string, ETag> etags) =>
        etags.TryGetValue(entity.RowKey, out var etag)
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);

    internal static TableEntity ToEntity(AlertState s) => new(Partition, s.Identity)
    {
        ["Kind"] = s.Kind.ToString(),
        ["Subject"] = s.Subject,
        ["Level"] = s.Level,
        ["EpisodeStart"] = TableValues.Date(s.EpisodeStart),
        ["Status"] = s.Status.ToString(),
        ["Notified"] = s.Notified,
        ["NotifiedProvisional"] = s.NotifiedProvisional,
        ["NotifiedSession"] = Date(s.NotifiedSession),
        ["RepeatCount"] = s.RepeatCount,
        ["SessionsSinceNotified"] = s.SessionsSinceNotified,
        ["LastSeenSession"] = TableValues.Date(s.LastSeenSession),
        ["AbsentFinalSessions"] = s.AbsentFinalSessions,
        ["LastAbsentSession"] = Date(s.LastAbsentSession),
        ["ResolvedSession"] = Date(s.ResolvedSession),
        ["Suppressed"] = s.Suppressed,
        ["PreviousRegime"] = s.PreviousRegime,
        ["UpdatedUtc"] = s.UpdatedUtc,
    };

    internal static AlertState ReadState(TableEntity e) => new()
    {
        Kind = Enum.Parse<AlertKind>(e.GetString("Kind")),
        Subject = e.GetString("Subject"),
        Level = e.GetString("Level"),
        EpisodeStart = TableValues.ParseDate(e.GetString("EpisodeStart")),
        Status = Enum.Parse<AlertStatus>(e.GetString("Status")),
        Notified = e.GetBoolean("Notified") ?? false,
        NotifiedProvisional = e.GetBoolean("NotifiedProvisional") ?? false,
        NotifiedSession = Date(e.GetString("NotifiedSession")),
        RepeatCount = e.GetInt32("RepeatCount") ?? 0,
        SessionsSinceNotified = e.GetInt32("SessionsSinceNotified") ?? 0,
        LastSeenSession = TableValues.ParseDate(e.GetString("LastSeenSession")),
        AbsentFinalSessions = e.GetInt32("AbsentFinalSessions") ?? 0,
        LastAbsentSession = Date(e.GetString("LastAbsentSession")),
        ResolvedSession = Date(e.GetString("ResolvedSession")),
        Suppressed = e.GetString("Suppressed"),
        PreviousRegime = e.GetString("PreviousRegime"),
        UpdatedUtc = e.GetDateTimeOffset("UpdatedUtc") ?? default,
    };

    private static TableEntity ToEntity(AlertCursor c) => new(Partition, CursorRow)
    {
        ["LastSession"] = TableValues.Date(c.LastSession),
        ["Regime"] = c.Regime?.ToString(),
        ["RegimeSession"] = Date(c.RegimeSession),
        ["UpdatedUtc"] = c.UpdatedUtc,
    };

    private static AlertCursor ReadCursor(TableEntity e) => new()
    {
        LastSession = TableValues.ParseDate(e.GetString("LastSession")),
        Regime = e.GetString("Regime") is { Length: > 0 } r && Enum.TryParse<Regime>(r, out var regime) ? regime : null,
        RegimeSession = Date(e.GetString("RegimeSession")),
        UpdatedUtc = e.GetDateTimeOffset("UpdatedUtc") ?? default,
    };

    private static string? Date(DateOnly? d) => d is { } x ? TableValues.Date(x) : null;

    private static DateOnly? Date(string? s) => string.IsNullOrEmpty(s) ? null : TableValues.ParseDate(s);
}
