using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Http;

/// <summary>
/// What one outbound HTTP source's resilience pipeline does (<see cref="SourceResilience"/>). Not bound from a section of
/// its own: each feature fills a named instance from the options that carry its configuration keys (so the keys users set
/// keep their names and defaults) and those options keep their own, key-named rules; the ranges here are what the
/// pipeline can run with, checked at start.
/// </summary>
public sealed class HttpSourceResilienceOptions : IValidatableObject
{
    /// <summary>Retries after the first attempt (0 = none).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first back-off delay; exponential with jitter after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest back-off delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A server's Retry-After (seconds or a date) is honoured up to this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each attempt's timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of all attempts and the waits between them.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout > TotalTimeout)
        {
            yield return new ValidationResult("AttemptTimeout must be at most TotalTimeout.", [nameof(AttemptTimeout), nameof(TotalTimeout)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class HttpSourceResilienceOptionsValidator : IValidateOptions<HttpSourceResilienceOptions>;
