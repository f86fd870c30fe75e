using System.Text.Json;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// Publishes each notice to a Service Bus topic: JSON body (the <see cref="AlertMessage"/>), MessageId = notification id +
/// ":servicebus" (duplicate detection on the topic drops re-sends), Subject = the notification kind, application
/// properties for subscription filters. The SDK retries transient faults itself (no Polly around it).
/// </summary>
public sealed partial class ServiceBusChannel(ServiceBusSender sender, SecretRedactor redactor, ILogger<ServiceBusChannel> logger) : IAlertChannel
{
    public string Name => "servicebus";

    public static ServiceBusMessage ToMessage(AlertMessage m, string channel = "servicebus")
    {
        var message = new ServiceBusMessage(BinaryData.FromString(JsonSerializer.Serialize(m, AlertMessageJson.Options)))
        {
            MessageId = m.NotificationId + ":" + channel,
            Subject = m.Kind.ToString(),
            ContentType = "application/json",
        };
        message.ApplicationProperties["scenario"] = m.Scenario ?? m.Dataset ?? "";
        message.ApplicationProperties["level"] = m.Level;
        message.ApplicationProperties["regime"] = m.Regime;
        message.ApplicationProperties["kind"] = m.Kind.ToString();
        message.ApplicationProperties["alertKind"] = m.AlertKind.ToString();
        message.ApplicationProperties["alertIdentity"] = m.AlertIdentity;
        message.ApplicationProperties["asOfSession"] = m.AsOfSession.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        message.ApplicationProperties["provisional"] = m.Provisional;
        return message;
    }

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendMessageAsync(ToMessage(message, Name), cancellationToken).ConfigureAwait(false);
            LogPublished(message.NotificationId, sender.EntityPath);
        }
        catch (ServiceBusException ex)
        {
            throw new AlertDeliveryException(Name, !ex.IsTransient, redactor.Redact($"Service Bus ({ex.Reason}): {ex.Message}"));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AlertDeliveryException(Name, true, redactor.Redact("Service Bus refused the identity: " + ex.Message));
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            throw new AlertDeliveryException(Name, false, redactor.Redact("Service Bus credential: " + ex.Message));
        }
    }

    [LoggerMessage(EventId = 1270, Level = LogLevel.Information, Message = "Service Bus message {NotificationId} published to {Topic}")]
    private partial void LogPublished(string notificationId, string topic);
}

/// <summary>Owns the ServiceBusClient and the topic sender (created on first use, disposed with the host).</summary>
public sealed class ServiceBusSenderProvider(IOptions<ServiceBusAlertOptions> options, SecretRedactor redactor) : IAsyncDisposable
{
    private readonly Lazy<(ServiceBusClient Client, ServiceBusSender Sender)> _sender = new(() =>
    {
        var o = options.Value;
        ServiceBusClient client;
        if (!string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            redactor.Add(o.ConnectionString);
            client = new ServiceBusClient(o.ConnectionString);
        }
        else
        {
            client = new ServiceBusClient(o.FullyQualifiedNamespace, AzureCredentials.For(o.ManagedIdentityClientId));
        }

        return (client, client.CreateSender(o.TopicName));
    });

    public ServiceBusSender Sender => _sender.Value.Sender;

    public async ValueTask DisposeAsync()
    {
        if (!_sender.IsValueCreated) return;
        await _sender.Value.Sender.DisposeAsync().ConfigureAwait(false);
        await _sender.Value.Client.DisposeAsync().ConfigureAwait(false);
    }
}
