using Microsoft.Extensions.Options;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Flows;

/// <summary>
/// Provisional while a fund that reported recently is still "-" (or, for a totals-only source, until the
/// cut-off); Final when every such fund has reported, or once the cut-off passed (default 14:00 UTC the
/// day after the session).
/// </summary>
public sealed class SessionStatusPolicy
{
    /// <summary>A fund counts as "reporting" when it reported in any of this many previous sessions.</summary>
    public const int ReportingWindowSessions = 5;

    private readonly TimeSpan _cutoff;
    private readonly int _days;

    public SessionStatusPolicy(IOptions<FlowsOptions> options)
        : this(options.Value.FinalCutoffUtc, options.Value.FinalCutoffDays)
    {
    }

    public SessionStatusPolicy(TimeSpan cutoffUtc, int cutoffDays = 1)
    {
        _cutoff = cutoffUtc;
        _days = cutoffDays;
    }

    public static SessionStatusPolicy Default { get; } = new(TimeSpan.FromHours(14));

    /// <summary>The session's cut-off; for a session dated at the calendar's end (a source's "31 Dec 9999"), never.</summary>
    public DateTimeOffset CutoffUtc(DateOnly session) =>
        session.DayNumber > DateOnly.MaxValue.DayNumber - _days - 1
            ? DateTimeOffset.MaxValue
            : new(session.AddDays(_days).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Add(_cutoff), TimeSpan.Zero);

    public SessionStatus StatusOf(DateOnly session, int lateFunds, bool totalsOnly, DateTimeOffset utcNow)
    {
        if (utcNow >= CutoffUtc(session)) return SessionStatus.Final;
        return totalsOnly || lateFunds > 0 ? SessionStatus.Provisional : SessionStatus.Final;
    }
}
