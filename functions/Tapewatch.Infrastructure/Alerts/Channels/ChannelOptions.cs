using System.ComponentModel.DataAnnotations;
using Tapewatch.Core.Alerts;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Alerts.Channels;

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
            yield return new ValidationResult("Tapewatch:Alerts:Email:From must be an email address.");
        }

        if (Recipients.Count == 0)
        {
            yield return new ValidationResult("Tapewatch:Alerts:Email:Recipients needs at least one address.");
        }

        foreach (var r in Recipients.Where(r => !MimeKit.MailboxAddress.TryParse(r, out _)))
        {
            yield return new ValidationResult($"Tapewatch:Alerts:Email:Recipients has an invalid address '{r}'.");
        }

        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Tapewatch:Alerts:Email:Password is required when User is set.");
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
            yield return new ValidationResult("Tapewatch:Alerts:Teams:WebhookUrl must be an absolute https URL.");
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

[OptionsValidator]
internal sealed partial class EmailOptionsValidator : IValidateOptions<EmailOptions>;

[OptionsValidator]
internal sealed partial class TeamsOptionsValidator : IValidateOptions<TeamsOptions>;

[OptionsValidator]
internal sealed partial class ServiceBusAlertOptionsValidator : IValidateOptions<ServiceBusAlertOptions>;
