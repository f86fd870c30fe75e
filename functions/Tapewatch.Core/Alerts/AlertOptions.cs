using System.ComponentModel.DataAnnotations;

namespace Tapewatch.Core.Alerts;

/// <summary>What to do with a provisional session (late funds still "-").</summary>
public enum ProvisionalPolicy
{
    /// <summary>Wait for final data until the cut-off (<see cref="AlertOptions.ProvisionalCutoff"/> New York time on the next session), then alert marked provisional.</summary>
    WaitUntilCutoff,

    /// <summary>Never alert on provisional data; wait for final data however long it takes.</summary>
    WaitForFinal,

    /// <summary>Alert at once, marked provisional.</summary>
    Alert,
}

/// <summary>The alert lifecycle (Tapewatch:Alerts). Channels are configured in sub-sections; each is optional.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Alerts";

    /// <summary>False switches the lifecycle off entirely (no state, no notifications).</summary>
    public bool Enabled { get; set; } = true;

    public ProvisionalPolicy Provisional { get; set; } = ProvisionalPolicy.WaitUntilCutoff;

    /// <summary>New York time of day on the next session after a provisional session when waiting stops.</summary>
    public TimeOnly ProvisionalCutoff { get; set; } = new(9, 0);

    /// <summary>Repeat a firing alert every N sessions while it fires; 0 = never repeat.</summary>
    [Range(0, 250)]
    public int RepeatEverySessions { get; set; }

    /// <summary>Final sessions an alert must be absent before it resolves (hysteresis; 1 = the first final session without it).</summary>
    [Range(1, 20)]
    public int ResolveAfterSessions { get; set; } = 1;

    /// <summary>Send an alert when the regime label changes.</summary>
    public bool RegimeChanges { get; set; } = true;

    /// <summary>
    /// Evaluations of a session more than this many sessions before the latest closed session are history (a backfill or
    /// replay) and raise no alerts; 0 = no limit (the offline demo replays old data with this set to 0).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxSessionAge { get; set; } = 3;

    /// <summary>A dataset not updated for this long raises DataStale (on top of the engine's own stale flag); null = engine flag only.</summary>
    public TimeSpan? EtfFlowsStaleAfter { get; set; } = TimeSpan.FromDays(4);

    public TimeSpan? WeeklyFlowsStaleAfter { get; set; } = TimeSpan.FromDays(10);

    public TimeSpan? DerivativesStaleAfter { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Dashboard link put in every message.</summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary>How long a channel may hold a claim on a notification before another evaluator may take it over.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delivery attempts (evaluations) per notification and channel before it is given up and logged as an error.</summary>
    [Range(1, 1000)]
    public int MaxDeliveryAttempts { get; set; } = 12;

    public TimeSpan? StaleAfter(string dataset) => dataset switch
    {
        Rules.Datasets.EtfFlows => EtfFlowsStaleAfter,
        Rules.Datasets.WeeklyFlows => WeeklyFlowsStaleAfter,
        Rules.Datasets.Derivatives => DerivativesStaleAfter,
        _ => null,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DashboardUrl is not null && (!DashboardUrl.IsAbsoluteUri || DashboardUrl.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Tapewatch:Alerts:DashboardUrl must be an absolute http(s) URL.");
        }

        if (ClaimTimeout <= TimeSpan.Zero) yield return new ValidationResult("Tapewatch:Alerts:ClaimTimeout must be positive.");
    }
}
