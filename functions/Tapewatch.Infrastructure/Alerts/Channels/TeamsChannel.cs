using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// Posts an Adaptive Card to a Teams Workflows webhook. The typed HttpClient carries the resilience pipeline (retries
/// on 5xx/408/429 honouring Retry-After, per-attempt timeout); 4xx are not retried and become permanent failures.
/// The webhook URL is a secret: the client's request logging is removed and every error text is redacted.
/// </summary>
public sealed partial class TeamsChannel(HttpClient http, IOptions<TeamsOptions> options, SecretRedactor redactor, ILogger<TeamsChannel> logger) : IAlertChannel
{
    public string Name => "teams";

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        var url = options.Value.WebhookUrl ?? throw new AlertDeliveryException(Name, true, "Teams webhook URL is not configured.");
        redactor.AddUrl(url);
        var payload = TeamsCard.Payload(message);
        HttpResponseMessage response;
        try
        {
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new AlertDeliveryException(Name, false, "Teams webhook unreachable: " + redactor.Redact(ex.Message));
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                LogAccepted(message.NotificationId, (int)response.StatusCode, Encoding.UTF8.GetByteCount(payload));
                return;
            }

            var status = (int)response.StatusCode;
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            var body = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AlertDeliveryException(Name, !transient, redactor.Redact($"Teams webhook answered {status} {response.ReasonPhrase}{body}"));
        }
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length == 0 ? "" : ": " + (text.Length > 300 ? text[..300] + "…" : text);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    [LoggerMessage(EventId = 1260, Level = LogLevel.Information, Message = "Teams card {NotificationId} accepted ({Status}, {Bytes} bytes)")]
    private partial void LogAccepted(string notificationId, int status, int bytes);
}
