using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts;

public enum DeliveryStatus
{
    /// <summary>Owed: decided, not yet sent on this channel.</summary>
    Pending,

    /// <summary>Claimed by one evaluator until ClaimedUntilUtc.</summary>
    Sending,

    /// <summary>Written after the channel accepted it.</summary>
    Sent,

    /// <summary>A transient failure; retried by the next evaluation (the message retry or a later one).</summary>
    Failed,

    /// <summary>A permanent failure (4xx, bad address) or too many attempts; never retried.</summary>
    Rejected,
}

/// <summary>One notification on one channel, as stored (with the ETag that guards the next step).</summary>
public sealed record DeliveryRecord(
    string NotificationId,
    string Channel,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset? ClaimedUntilUtc,
    DateTimeOffset? SentUtc,
    string? LastError,
    AlertMessage Message,
    ETag ETag);

/// <summary>
/// The per-channel notification log (table Notifications): PartitionKey = notification id, RowKey = channel.
/// A row is inserted as Pending when the lifecycle decides a notice (insert-guarded: a second evaluator's insert
/// conflicts), claimed with an ETag-conditional update (exactly one evaluator wins the claim), and marked Sent only
/// after the channel accepted the message. Failed rows are picked up again by the next evaluation.
/// </summary>
public sealed class NotificationLog(TapewatchStorage storage)
{
    private const int ChunkChars = 30_000;

    public async Task EnqueueAsync(AlertMessage message, IEnumerable<string> channels, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Notifications, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(message, StoredJson.Options);
        foreach (var channel in channels)
        {
            var entity = new TableEntity(message.NotificationId, channel)
            {
                ["Status"] = nameof(DeliveryStatus.Pending),
                ["Attempts"] = 0,
                ["AlertIdentity"] = message.AlertIdentity,
                ["Kind"] = message.Kind.ToString(),
                ["CreatedUtc"] = now,
            };
            WriteJson(entity, json);
            try
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Already owed or sent (a duplicate delivery of the evaluation, or a racing evaluator): nothing to add.
            }
        }
    }

    /// <summary>Rows not yet Sent or Rejected, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> OwedAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Notifications, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"Status ne {nameof(DeliveryStatus.Sent)} and Status ne {nameof(DeliveryStatus.Rejected)}");
        var list = new List<(DateTimeOffset, DeliveryRecord)>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add((e.GetDateTimeOffset("CreatedUtc") ?? default, Read(e)));
        }

        return [.. list.OrderBy(x => x.Item1).ThenBy(x => x.Item2.NotificationId, StringComparer.Ordinal).Select(x => x.Item2)];
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Notifications, cancellationToken).ConfigureAwait(false);
        var list = new List<DeliveryRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false)) list.Add(Read(e));
        return list;
    }

    /// <summary>Takes the row for sending; null when another evaluator holds a live claim or won the race.</summary>
    public async Task<DeliveryRecord?> TryClaimAsync(DeliveryRecord record, DateTimeOffset now, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        if (record.Status == DeliveryStatus.Sending && record.ClaimedUntilUtc > now) return null;
        var table = await storage.TableAsync(TableNames.Notifications, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(record.NotificationId, record.Channel)
        {
            ["Status"] = nameof(DeliveryStatus.Sending),
            ["Attempts"] = record.Attempts + 1,
            ["ClaimedUntilUtc"] = now + claimFor,
        };
        try
        {
            var response = await table.UpdateEntityAsync(entity, record.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return record with { Status = DeliveryStatus.Sending, Attempts = record.Attempts + 1, ClaimedUntilUtc = now + claimFor, ETag = response.Headers.ETag ?? ETag.All };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Records the successful send (after it happened). False when our claim had been taken over meanwhile.</summary>
    public Task<bool> MarkSentAsync(DeliveryRecord claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(claimed, new TableEntity(claimed.NotificationId, claimed.Channel)
        {
            ["Status"] = nameof(DeliveryStatus.Sent),
            ["SentUtc"] = now,
            ["ClaimedUntilUtc"] = null,
            ["LastError"] = null,
        }, cancellationToken);

    public Task<bool> MarkFailedAsync(DeliveryRecord claimed, string error, bool permanent, CancellationToken cancellationToken) =>
        FinishAsync(claimed, new TableEntity(claimed.NotificationId, claimed.Channel)
        {
            ["Status"] = permanent ? nameof(DeliveryStatus.Rejected) : nameof(DeliveryStatus.Failed),
            ["ClaimedUntilUtc"] = null,
            ["LastError"] = error.Length > 1000 ? error[..1000] : error,
        }, cancellationToken);

    private async Task<bool> FinishAsync(DeliveryRecord claimed, TableEntity patch, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Notifications, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(patch, claimed.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private static void WriteJson(TableEntity entity, string json)
    {
        var chunks = 0;
        for (var i = 0; i < json.Length; i += ChunkChars, chunks++)
        {
            entity["Message" + chunks.ToString(System.Globalization.CultureInfo.InvariantCulture)] = json.Substring(i, Math.Min(ChunkChars, json.Length - i));
        }

        entity["MessageChunks"] = chunks;
    }

    private static DeliveryRecord Read(TableEntity e)
    {
        var chunks = e.GetInt32("MessageChunks") ?? 0;
        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => e.GetString("Message" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var message = JsonSerializer.Deserialize<AlertMessage>(json, StoredJson.Options)
            ?? throw new InvalidOperationException($"Notification {e.PartitionKey}/{e.RowKey} has no message.");
        return new DeliveryRecord(
            e.PartitionKey,
            e.RowKey,
            Enum.TryParse<DeliveryStatus>(e.GetString("Status"), out var status) ? status : DeliveryStatus.Pending,
            e.GetInt32("Attempts") ?? 0,
            e.GetDateTimeOffset("ClaimedUntilUtc"),
            e.GetDateTimeOffset("SentUtc"),
            e.GetString("LastError"),
            message,
            e.ETag);
    }
}
