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
            yield return new ValidationResult("Tapewatch:Alerts:DashboardUrl must be an absolute http(s) URL.", [nameof(DashboardUrl)]);
        }

        if (ClaimTimeout <= TimeSpan.Zero) yield return new ValidationResult("Tapewatch:Alerts:ClaimTimeout must be positive.", [nameof(ClaimTimeout)]);
    }
}

public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}

/// <summary>Tapewatch:Alerts:Email — SMTP (Azure Communication Services SMTP, SendGrid, any relay).</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = AlertOptions.SectionName + ":Email";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public List<string> Recipients { get; set; } = [];

    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First back-off delay; doubles each attempt, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured) yield break;
        if (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Tapewatch:Alerts:Email:From must be an email address.", [nameof(From)]);
        }

        if (Recipients.Count == 0)
        {
            yield return new ValidationResult("Tapewatch:Alerts:Email:Recipients needs at least one address.", [nameof(Recipients)]);
        }

        foreach (var r in Recipients.Where(r => !MimeKit.MailboxAddress.TryParse(r, out _)))
        {
            yield return new ValidationResult($"Tapewatch:Alerts:Email:Recipients has an invalid address '{r}'.", [nameof(Recipients)]);
        }

        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Tapewatch:Alerts:Email:Password is required when User is set.", [nameof(Password)]);
        }
    }
}

/// <summary>Tapewatch:Alerts:Teams — a Teams Workflows "When a Teams webhook request is received" URL (a secret).</summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string SectionName = AlertOptions.SectionName + ":Teams";

    public Uri? WebhookUrl { get; set; }

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest Retry-After honoured.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => WebhookUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is not null && (!WebhookUrl.IsAbsoluteUri || WebhookUrl.Scheme is not ("https" or "http")))
        {
            // Never echo the URL: it carries the signature.
            yield return new ValidationResult("Tapewatch:Alerts:Teams:WebhookUrl must be an absolute https URL.", [nameof(WebhookUrl)]);
        }
    }
}

/// <summary>Tapewatch:Alerts:ServiceBus — a topic for downstream consumers.</summary>
public sealed class ServiceBusAlertOptions : IValidatableObject
{
    public const string SectionName = AlertOptions.SectionName + ":ServiceBus";

    /// <summary>e.g. "tapewatch-sb.servicebus.windows.net" (managed identity).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Local/dev alternative to the managed identity (a secret).</summary>
    public string? ConnectionString { get; set; }

    public string? TopicName { get; set; }

    /// <summary>Client id of a user-assigned managed identity; null = DefaultAzureCredential.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TopicName) && (!string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var any = !string.IsNullOrWhiteSpace(TopicName) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
        if (any && !IsConfigured)
        {
            yield return new ValidationResult(
                "Tapewatch:Alerts:ServiceBus needs TopicName and either FullyQualifiedNamespace (managed identity) or ConnectionString.",
                [nameof(TopicName)]);
        }
    }
}

/// <summary>Tapewatch:Alerts:Outbox — writes each notification as JSON + text files (offline demo, audits).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = AlertOptions.SectionName + ":Outbox";

    public string? Directory { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Directory);
}
