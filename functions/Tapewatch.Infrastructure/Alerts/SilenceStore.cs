using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts;

/// <summary>What a caller asks for when creating a silence (HTTP body, CLI flags).</summary>
public sealed record SilenceRequest
{
    /// <summary>"label=value", "label!=value", "label=~regex", "label!~regex".</summary>
    public List<string>? Matchers { get; init; }

    /// <summary>End of the silence (ISO 8601 with offset). Either this or <see cref="Duration"/>.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Length from now: "90m", "12h", "3d", "2w" or a TimeSpan ("1.12:00:00").</summary>
    public string? Duration { get; init; }

    /// <summary>Why (required, as in Alertmanager).</summary>
    public string? Comment { get; init; }

    public string? CreatedBy { get; init; }
}

/// <summary>A rejected silence request: the field and the reason (→ 400 problem naming the parameter, CLI exit 2).</summary>
public sealed class SilenceValidationException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>Silences in table Silences (PartitionKey "silence", RowKey = id). Validation lives here for HTTP and CLI alike.</summary>
public sealed class SilenceStore(TapewatchStorage storage, TimeProvider time)
{
    public const string Partition = "silence";
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(90);
    public const int MaxMatchers = 10;
    public const int MaxCommentLength = 500;

    /// <summary>Validates the request (throws <see cref="SilenceValidationException"/>) and stores the silence.</summary>
    public async Task<Silence> CreateAsync(SilenceRequest request, CancellationToken cancellationToken)
    {
        var silence = Validate(request, time.GetUtcNow());
        var table = await storage.TableAsync(TableNames.Silences, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(ToEntity(silence), cancellationToken).ConfigureAwait(false);
        return silence;
    }

    public static Silence Validate(SilenceRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Matchers is not { Count: > 0 }) throw new SilenceValidationException("matchers", "give at least one matcher, e.g. \"scenario=Caution\"");
        if (request.Matchers.Count > MaxMatchers) throw new SilenceValidationException("matchers", $"at most {MaxMatchers} matchers");
        var matchers = new List<SilenceMatcher>();
        for (var i = 0; i < request.Matchers.Count; i++)
        {
            if (!SilenceMatcher.TryParse(request.Matchers[i], out var m, out var error))
            {
                throw new SilenceValidationException($"matchers[{i.ToString(CultureInfo.InvariantCulture)}]", error!);
            }

            matchers.Add(m!);
        }

        DateTimeOffset ends;
        if (request.Until is { } until && request.Duration is not null) throw new SilenceValidationException("until", "give either 'until' or 'duration', not both");
        if (request.Until is { } u) ends = u.ToUniversalTime();
        else if (request.Duration is not null)
        {
            if (!TryParseDuration(request.Duration, out var duration)) throw new SilenceValidationException("duration", "'duration' must be like \"90m\", \"12h\", \"3d\", \"2w\" or \"1.12:00:00\"");
            ends = now + duration;
        }
        else throw new SilenceValidationException("until", "give 'until' (ISO 8601 time) or 'duration' (e.g. \"3d\")");

        if (ends <= now) throw new SilenceValidationException(request.Until is null ? "duration" : "until", "the silence must end in the future");
        if (ends - now > MaxLength) throw new SilenceValidationException(request.Until is null ? "duration" : "until", $"a silence lasts at most {MaxLength.TotalDays.ToString(CultureInfo.InvariantCulture)} days");
        if (string.IsNullOrWhiteSpace(request.Comment)) throw new SilenceValidationException("comment", "say why (a comment is required)");
        if (request.Comment.Length > MaxCommentLength) throw new SilenceValidationException("comment", $"at most {MaxCommentLength} characters");
        if (request.CreatedBy is { Length: > 100 }) throw new SilenceValidationException("createdBy", "at most 100 characters");

        return new Silence
        {
            Id = NewId(),
            Matchers = matchers,
            StartsUtc = now,
            EndsUtc = ends,
            Comment = request.Comment.Trim(),
            CreatedBy = string.IsNullOrWhiteSpace(request.CreatedBy) ? null : request.CreatedBy.Trim(),
            CreatedUtc = now,
        };
    }

    public async Task<IReadOnlyList<Silence>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Silences, cancellationToken).ConfigureAwait(false);
        var list = new List<Silence>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(e));
        }

        return [.. list.OrderByDescending(s => s.EndsUtc)];
    }

    public async Task<IReadOnlyList<Silence>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.IsActive(now))];

    /// <summary>False when there is no such silence.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id)) return false;
        var table = await storage.TableAsync(TableNames.Silences, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public static bool IsValidId(string? id) => id is { Length: 12 } && id.All(char.IsAsciiHexDigitLower);

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && n < 100_000)
        {
            TimeSpan? d = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (d is { } value)
            {
                duration = value;
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static TableEntity ToEntity(Silence s) => new(Partition, s.Id)
    {
        ["Matchers"] = JsonSerializer.Serialize(s.Matchers.Select(m => m.ToString()).ToList()),
        ["StartsUtc"] = s.StartsUtc,
        ["EndsUtc"] = s.EndsUtc,
        ["Comment"] = s.Comment,
        ["CreatedBy"] = s.CreatedBy,
        ["CreatedUtc"] = s.CreatedUtc,
    };

    private static Silence Read(TableEntity e)
    {
        var texts = JsonSerializer.Deserialize<List<string>>(e.GetString("Matchers") ?? "[]") ?? [];
        var matchers = new List<SilenceMatcher>();
        foreach (var t in texts)
        {
            if (SilenceMatcher.TryParse(t, out var m, out _)) matchers.Add(m!);
        }

        return new Silence
        {
            Id = e.RowKey,
            Matchers = matchers,
            StartsUtc = e.GetDateTimeOffset("StartsUtc") ?? default,
            EndsUtc = e.GetDateTimeOffset("EndsUtc") ?? default,
            Comment = e.GetString("Comment") ?? "",
            CreatedBy = e.GetString("CreatedBy"),
            CreatedUtc = e.GetDateTimeOffset("CreatedUtc") ?? default,
        };
    }
}
