using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// Email over SMTP with MailKit (Azure Communication Services SMTP, SendGrid, any relay): a plain-text and an HTML
/// part. Each send goes through the keyed pipeline <see cref="SmtpResilience.PipelineName"/> (transient failures retried
/// with back-off and jitter; SMTP 5xx and authentication failures permanent). The password never reaches a log or an error.
/// </summary>
public sealed partial class EmailChannel : IAlertChannel
{
    private readonly EmailOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly SecretRedactor _redactor;
    private readonly ILogger<EmailChannel> _logger;

    public EmailChannel(
        IOptions<EmailOptions> options,
        [FromKeyedServices(SmtpResilience.PipelineName)] ResiliencePipeline pipeline,
        SecretRedactor redactor,
        ILogger<EmailChannel> logger)
    {
        _options = options.Value;
        _pipeline = pipeline;
        _redactor = redactor;
        _logger = logger;
        _redactor.Add(_options.Password);
    }

    public string Name => "email";

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        var mime = Build(message);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(SmtpResilience.NotificationId, message.NotificationId);
        var attempts = 0;
        try
        {
            await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    attempts++;
                    await SendOnceAsync(state, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                mime).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = _redactor.Redact($"{ex.GetType().Name}: {ex.Message}");
            throw new AlertDeliveryException(Name, SmtpResilience.IsPermanent(ex), $"SMTP {_options.Host}:{_options.Port} failed after {attempts} attempt(s): {reason}");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        LogSent(message.NotificationId, _options.Recipients.Count, _options.Host, _options.Port);
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

    [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Email {NotificationId} sent to {Count} recipient(s) via {Host}:{Port}")]
    private partial void LogSent(string notificationId, int count, string? host, int port);
}
