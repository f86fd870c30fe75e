using System.ComponentModel.DataAnnotations;

namespace Tapewatch.Core.Weekly;

/// <summary>
/// CoinShares weekly fund-flows source, bound from "Tapewatch:Weekly" (app settings <c>Tapewatch__Weekly__…</c>).
/// </summary>
public sealed class WeeklyFlowsOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Weekly";

    /// <summary>The RSS feed of the CoinShares research blog.</summary>
    [Required]
    public Uri FeedUrl { get; set; } = new("https://researchblog.coinshares.com/feed");

    /// <summary>The report is the newest feed item whose title contains this text (case-insensitive).</summary>
    [Required]
    [MinLength(5)]
    public string ReportTitle { get; set; } = "Digital Asset Fund Flows Weekly Report";

    /// <summary>Largest feed body accepted (bytes); a larger answer is refused, nothing written.</summary>
    [Range(16 * 1024, 50 * 1024 * 1024)]
    public int MaxFeedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Retries after the first attempt on 5xx/408/429/network errors (never on 401/403/451).</summary>
    [Range(0, 6)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay (exponential with jitter after it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A Retry-After longer than this is capped to it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "00:15:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FeedUrl is null || !FeedUrl.IsAbsoluteUri || (FeedUrl.Scheme != Uri.UriSchemeHttps && FeedUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Tapewatch:Weekly:FeedUrl must be an absolute http(s) URL.");
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult("Tapewatch:Weekly:TotalTimeout must be at least AttemptTimeout.");
        }
    }
}
