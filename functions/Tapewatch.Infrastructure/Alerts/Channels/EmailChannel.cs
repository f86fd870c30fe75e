using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// Email over SMTP with MailKit (Azure Communication Services SMTP, SendGrid, any relay): a plain-text and an HTML
/// part. Transient failures (connection refused/reset, timeouts, SMTP 4xx) are retried with exponential back-off and
/// jitter; SMTP 5xx and authentication failures are permanent. The password never reaches a log or an error.
/// </summary>
public sealed class EmailChannel : IAlertChannel
{
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly ILogger<EmailChannel> _logger;

    public EmailChannel(IOptions<EmailOptions> options, TimeProvider time, SecretRedactor redactor, ILogger<EmailChannel> logger)
    {
        _options = options.Value;
        _time = time;
        _redactor = redactor;
        _logger = logger;
        _redactor.Add(_options.Password);
    }

    public string Name => "email";

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        var mime = Build(message);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendOnceAsync(mime, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Email {NotificationId} sent to {Count} recipient(s) via {Host}:{Port}", message.NotificationId, _options.Recipients.Count, _options.Host, _options.Port);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var permanent = IsPermanent(ex);
                var reason = _redactor.Redact($"{ex.GetType().Name}: {ex.Message}");
                if (permanent || attempt >= _options.MaxAttempts)
                {
                    throw new AlertDeliveryException(Name, permanent, $"SMTP {_options.Host}:{_options.Port} failed after {attempt} attempt(s): {reason}");
                }

                var delay = Backoff(attempt);
                _logger.LogWarning("Email {NotificationId}: attempt {Attempt} of {Max} failed ({Reason}); retrying in {Delay} ms", message.NotificationId, attempt, _options.MaxAttempts, reason, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal MimeMessage Build(AlertMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(_options.From!));
        foreach (var r in _options.Recipients) mime.To.Add(MailboxAddress.Parse(r));
        mime.Subject = AlertRenderer.Subject(message);
        mime.Date = message.CreatedUtc;

        // Stable Message-Id per notice: a receiver (or a human) can tell a re-send from a new alert.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.NotificationId)))[..32];
        mime.MessageId = $"{hash}@tapewatch";
        mime.Headers.Add("X-Tapewatch-Alert", message.NotificationId);
        var body = new BodyBuilder { TextBody = AlertRenderer.Text(message), HtmlBody = AlertRenderer.Html(message) };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    private async Task SendOnceAsync(MimeMessage mime, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        var security = _options.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(_options.Host!, _options.Port, security, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_options.User))
        {
            await client.AuthenticateAsync(_options.User, _options.Password ?? "", cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan Backoff(int attempt)
    {
        var baseMs = _options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var jitter = 0.8 + (RandomNumberGenerator.GetInt32(0, 400) / 1000.0);
        return TimeSpan.FromMilliseconds(Math.Min(baseMs * jitter, 60_000));
    }

    /// <summary>SMTP 5xx, authentication and TLS set-up failures will not heal by themselves.</summary>
    internal static bool IsPermanent(Exception ex) => ex switch
    {
        SmtpCommandException c => (int)c.StatusCode >= 500,
        MailKit.Security.AuthenticationException => true,
        SslHandshakeException => true,
        System.Security.Authentication.AuthenticationException => true,
        NotSupportedException => true,
        SocketException or IOException or ServiceNotConnectedException or ProtocolException or TimeoutException or OperationCanceledException => false,
        _ => false,
    };
}
