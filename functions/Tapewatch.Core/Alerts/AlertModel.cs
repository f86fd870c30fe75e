using System.Globalization;
using Tapewatch.Core.Rules;

namespace Tapewatch.Core.Alerts;

/// <summary>What an alert is about.</summary>
public enum AlertKind
{
    /// <summary>A scenario at a level (Triggered or Confirmed).</summary>
    Scenario,

    /// <summary>The regime label changed (one-shot).</summary>
    RegimeChange,

    /// <summary>A dataset is stale (per dataset).</summary>
    DataStale,
}

/// <summary>What a notification says: the Service Bus Subject, the silence label <c>event</c>.</summary>
public enum NotificationKind
{
    Triggered,
    Confirmed,
    Resolved,
    RegimeChange,
    DataStale,
}

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// The stored state of one alert (table Alerts). Identity = kind + subject (scenario, dataset or "regime") + level +
/// the episode's first session; it fires once per episode.
/// </summary>
public sealed record AlertState
{
    public required AlertKind Kind { get; init; }

    /// <summary>Scenario name (Scenario), dataset (DataStale) or "regime" (RegimeChange).</summary>
    public required string Subject { get; init; }

    /// <summary>Triggered/Confirmed (Scenario), "Stale" (DataStale), the new regime (RegimeChange).</summary>
    public required string Level { get; init; }

    public required DateOnly EpisodeStart { get; init; }

    public required AlertStatus Status { get; init; }

    /// <summary>The firing notice was issued (queued for every channel).</summary>
    public bool Notified { get; init; }

    /// <summary>The firing notice was issued on provisional data.</summary>
    public bool NotifiedProvisional { get; init; }

    public DateOnly? NotifiedSession { get; init; }

    public int RepeatCount { get; init; }

    /// <summary>Distinct sessions seen firing since the last notice (for repeats).</summary>
    public int SessionsSinceNotified { get; init; }

    /// <summary>Latest session at which the alert was observed active.</summary>
    public required DateOnly LastSeenSession { get; init; }

    /// <summary>Consecutive final sessions without it (resolution hysteresis).</summary>
    public int AbsentFinalSessions { get; init; }

    public DateOnly? LastAbsentSession { get; init; }

    public DateOnly? ResolvedSession { get; init; }

    /// <summary>Why the last notice was not sent (silenced, inhibited, waiting for final data).</summary>
    public string? Suppressed { get; init; }

    /// <summary>The previous regime (RegimeChange only).</summary>
    public string? PreviousRegime { get; init; }

    public DateTimeOffset UpdatedUtc { get; init; }

    public string Identity => IdentityOf(Kind, Subject, Level, EpisodeStart);

    public static string IdentityOf(AlertKind kind, string subject, string level, DateOnly episodeStart) =>
        string.Join(':', Slug(kind.ToString()), Slug(subject), Slug(level), episodeStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Labels that silences match: kind, scenario, dataset, level (and the notice adds event, regime).</summary>
    public IReadOnlyDictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kind"] = Kind.ToString(),
            ["level"] = Level,
        };
        if (Kind == AlertKind.Scenario) labels["scenario"] = Subject;
        if (Kind == AlertKind.DataStale) labels["dataset"] = Subject;
        return labels;
    }

    /// <summary>"DataStale" → "data-stale", "etf-flows" stays; only [a-z0-9-] (safe in table keys and message ids).</summary>
    private static string Slug(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && char.IsAsciiLetterLower(s[i - 1])) sb.Append('-');
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        return sb.ToString();
    }
}

/// <summary>Where the lifecycle got to: the latest session processed and the regime last announced.</summary>
public sealed record AlertCursor
{
    public required DateOnly LastSession { get; init; }

    public Regime? Regime { get; init; }

    public DateOnly? RegimeSession { get; init; }

    public DateTimeOffset UpdatedUtc { get; init; }
}

/// <summary>Everything the lifecycle remembers.</summary>
public sealed record AlertLedger(IReadOnlyList<AlertState> Alerts, AlertCursor? Cursor)
{
    public static AlertLedger Empty { get; } = new([], null);
}

/// <summary>One line of the conditions table in a message.</summary>
public sealed record AlertCondition
{
    public required string Text { get; init; }

    /// <summary>"trigger", "confirmation" or "risk".</summary>
    public required string Role { get; init; }

    public string? Observed { get; init; }

    public required string Threshold { get; init; }

    /// <summary>null = unknown.</summary>
    public bool? Met { get; init; }

    public DateOnly? AsOf { get; init; }

    public string? Source { get; init; }

    public string? UnknownReason { get; init; }

    public string MetText => Met switch { true => "met", false => "not met", null => "unknown" };
}

/// <summary>
/// One notification, channel-independent: what email, Teams, Service Bus and the outbox render. Serialised as the
/// Service Bus body and stored with the notification log.
/// </summary>
public sealed record AlertMessage
{
    /// <summary>Alert identity + ":" + event (+ ":" + repeat number): unique per notice.</summary>
    public required string NotificationId { get; init; }

    public required string AlertIdentity { get; init; }

    public required NotificationKind Kind { get; init; }

    public required AlertKind AlertKind { get; init; }

    public string? Scenario { get; init; }

    public string? Dataset { get; init; }

    public required string Level { get; init; }

    public required DateOnly EpisodeStart { get; init; }

    public required DateOnly AsOfSession { get; init; }

    public bool Provisional { get; init; }

    /// <summary>0 for the first notice, 1.. for repeats.</summary>
    public int Repeat { get; init; }

    public required string Regime { get; init; }

    public string? PreviousRegime { get; init; }

    public string? ScenarioStatus { get; init; }

    public string? Streak { get; init; }

    public required string Title { get; init; }

    public required string Headline { get; init; }

    public string? Detail { get; init; }

    public IReadOnlyList<AlertCondition> Conditions { get; init; } = [];

    public Uri? DashboardUrl { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Labels for silences and subscription filters.</summary>
    public IReadOnlyDictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kind"] = AlertKind.ToString(),
            ["level"] = Level,
            ["event"] = Kind.ToString(),
            ["regime"] = Regime,
        };
        if (Scenario is not null) labels["scenario"] = Scenario;
        if (Dataset is not null) labels["dataset"] = Dataset;
        return labels;
    }
}

/// <summary>The lifecycle's answer for one evaluation.</summary>
public sealed record AlertDecision
{
    /// <summary>Non-null when the evaluation was not processed (history, older than the cursor, disabled).</summary>
    public string? Skipped { get; init; }

    /// <summary>States to write (new or changed).</summary>
    public IReadOnlyList<AlertState> Changed { get; init; } = [];

    public AlertCursor? Cursor { get; init; }

    /// <summary>Notices to deliver on every channel.</summary>
    public IReadOnlyList<AlertMessage> Notices { get; init; } = [];

    /// <summary>Notices withheld and why (silenced, inhibited, waiting for final data) — logged.</summary>
    public IReadOnlyList<(string NotificationId, string Reason)> Withheld { get; init; } = [];
}
