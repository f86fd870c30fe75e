using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tapewatch.Core.Flows;

/// <summary>
/// ETF flows settings, bound from "Tapewatch:Flows" (app settings <c>Tapewatch__Flows__…</c>).
/// </summary>
public sealed class FlowsOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Flows";

    public const string DefaultSources = "farside,sosovalue";

    /// <summary>Sources tried in this order with fail-over, comma-separated: <c>farside</c>, <c>sosovalue</c>.</summary>
    public string Sources { get; set; } = DefaultSources;

    /// <summary>A session with a late fund stays Provisional until this UTC time of day on the day after the session.</summary>
    public TimeSpan FinalCutoffUtc { get; set; } = TimeSpan.FromHours(14);

    /// <summary>Days after the session date at which <see cref="FinalCutoffUtc"/> applies (1 = the next day).</summary>
    [Range(0, 14)]
    public int FinalCutoffDays { get; set; } = 1;

    /// <summary>How far back (calendar days) the scheduled job looks for the last final session.</summary>
    [Range(5, 400)]
    public int LookbackDays { get; set; } = 30;

    /// <summary>Largest accepted upload for <c>POST /api/flows/backfill</c> (bytes).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxUploadBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Before writing a change, a delayed evaluation request is queued (visible after this long) and cancelled once the
    /// immediate request is queued: if storage or the process fails in between, the stored change is still evaluated.
    /// </summary>
    public TimeSpan EvaluationSafetyDelay { get; set; } = TimeSpan.FromMinutes(5);

    [ValidateObjectMembers]
    public FarsideOptions Farside { get; set; } = new();

    [ValidateObjectMembers]
    public SoSoValueOptions SoSoValue { get; set; } = new();

    [ValidateObjectMembers]
    public FlowsHttpOptions Http { get; set; } = new();

    /// <summary>The configured source names, lower-case, in order.</summary>
    public IReadOnlyList<string> SourceOrder =>
        (string.IsNullOrWhiteSpace(Sources) ? DefaultSources : Sources)
        .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => s.ToLowerInvariant())
        .ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var order = SourceOrder;
        foreach (var unknown in order.Where(s => !EtfFlowSourceNames.Remote.Contains(s)))
        {
            yield return new ValidationResult(
                $"Tapewatch:Flows:Sources has unknown source '{unknown}' (known: {string.Join(", ", EtfFlowSourceNames.Remote)}).", [nameof(Sources)]);
        }

        if (order.Distinct().Count() != order.Count)
        {
            yield return new ValidationResult("Tapewatch:Flows:Sources names a source twice.");
        }

        if (FinalCutoffUtc < TimeSpan.Zero || FinalCutoffUtc >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Tapewatch:Flows:FinalCutoffUtc must be a time of day (00:00 to 23:59).");
        }

        if (EvaluationSafetyDelay < TimeSpan.FromSeconds(1) || EvaluationSafetyDelay > TimeSpan.FromDays(6))
        {
            yield return new ValidationResult("Tapewatch:Flows:EvaluationSafetyDelay must be from 1 second to 6 days.");
        }
    }
}

public sealed class FarsideOptions : IValidatableObject
{
    public Uri BaseUrl { get; set; } = new("https://farside.co.uk");

    /// <summary>The recent table (about the last three weeks).</summary>
    public string RecentPath { get; set; } = "/btc/";

    /// <summary>The whole history, used for backfills older than <see cref="RecentDays"/>.</summary>
    public string AllDataPath { get; set; } = "/bitcoin-etf-flow-all-data/";

    /// <summary>A query starting within this many days of today uses the recent page.</summary>
    public int RecentDays { get; set; } = 14;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri) yield return new ValidationResult("Tapewatch:Flows:Farside:BaseUrl must be an absolute URL.");
        if (RecentDays is < 1 or > 60) yield return new ValidationResult("Tapewatch:Flows:Farside:RecentDays must be from 1 to 60.");
    }
}

public sealed class SoSoValueOptions : IValidatableObject
{
    public Uri BaseUrl { get; set; } = new("https://api.sosovalue.xyz");

    /// <summary>The OpenAPI key (header x-soso-api-key). Without it the source is skipped. A secret: never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The ETF family requested from historicalInflowChart.</summary>
    public string Type { get; set; } = "us-btc-spot";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri) yield return new ValidationResult("Tapewatch:Flows:SoSoValue:BaseUrl must be an absolute URL.");
        if (string.IsNullOrWhiteSpace(Type)) yield return new ValidationResult("Tapewatch:Flows:SoSoValue:Type must not be empty.");
    }
}

/// <summary>The one resilience pipeline each flows source gets.</summary>
public sealed class FlowsHttpOptions : IValidatableObject
{
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay (exponential with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A server's Retry-After is honoured up to this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Responses larger than this are rejected (bytes).</summary>
    public int MaxResponseBytes { get; set; } = 20 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetries is < 0 or > 10) yield return new ValidationResult("Tapewatch:Flows:Http:MaxRetries must be from 0 to 10.");
        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1)) yield return new ValidationResult("Tapewatch:Flows:Http:RetryBaseDelay must be above 0 and at most 1 minute.");
        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(5)) yield return new ValidationResult("Tapewatch:Flows:Http:MaxRetryAfter must be from 0 to 5 minutes.");
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TotalTimeout) yield return new ValidationResult("Tapewatch:Flows:Http:AttemptTimeout must be at least 10 ms and at most TotalTimeout.");
        if (TotalTimeout > TimeSpan.FromMinutes(10)) yield return new ValidationResult("Tapewatch:Flows:Http:TotalTimeout must be at most 10 minutes.");
        if (MaxResponseBytes < 1024) yield return new ValidationResult("Tapewatch:Flows:Http:MaxResponseBytes must be at least 1024.");
    }
}
