using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>One way out for notifications (email, Teams, Service Bus, outbox). Registered only when configured.</summary>
public interface IAlertChannel
{
    /// <summary>Stable name: the notification log's RowKey ("email", "teams", "servicebus", "outbox").</summary>
    string Name { get; }

    /// <summary>Sends once (with the channel's own transient retries); throws <see cref="AlertDeliveryException"/> when it could not.</summary>
    Task SendAsync(AlertMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A channel could not deliver. <see cref="Permanent"/> = retrying will not help (HTTP 4xx, SMTP 5xx, authentication):
/// recorded as Rejected, not retried. The message is already redacted (no webhook URL, no password).
/// </summary>
public sealed class AlertDeliveryException(string channel, bool permanent, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Channel { get; } = channel;

    public bool Permanent { get; } = permanent;
}

/// <summary>Removes secrets (webhook URLs, passwords, connection strings) from text bound for logs and the notification log.</summary>
public sealed class SecretRedactor
{
    public const string Mask = "[redacted]";
    private readonly List<string> _secrets = [];
    private readonly Lock _gate = new();

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4) return;
        lock (_gate)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal)) _secrets.Add(secret);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>Registers a URL, its path-and-query and its query (a Workflows URL's signature is in the query).</summary>
    public void AddUrl(Uri? url)
    {
        if (url is null) return;
        Add(url.OriginalString);
        Add(url.AbsoluteUri);
        if (url.IsAbsoluteUri)
        {
            Add(url.ToString());
            if (url.PathAndQuery.Length > 1) Add(url.PathAndQuery);
            if (url.AbsolutePath.Length > 1) Add(url.AbsolutePath);
            if (url.Query.Length > 1) Add(url.Query.TrimStart('?'));

            // Each query value on its own (e.g. the "sig" signature), in raw and decoded form.
            foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var value = pair.Split('=', 2) is [_, var v] ? v : null;
                Add(value);
                if (value is not null) Add(Uri.UnescapeDataString(value));
            }
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        lock (_gate)
        {
            foreach (var s in _secrets) text = text.Replace(s, Mask, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }
}
