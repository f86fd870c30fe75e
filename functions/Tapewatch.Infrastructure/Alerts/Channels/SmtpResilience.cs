using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// The one pipeline every SMTP send goes through, registered once as the keyed <see cref="ResiliencePipeline"/>
/// <see cref="PipelineName"/>: up to <see cref="EmailOptions.MaxAttempts"/> attempts; a transient failure (connection
/// refused or reset, a timeout, SMTP 4xx) is retried after <see cref="EmailOptions.RetryDelay"/> doubled each time, with
/// jitter (× 0.8–1.2), at most a minute; SMTP 5xx, authentication and TLS failures are permanent. MailKit's
/// <see cref="EmailOptions.Timeout"/> bounds each attempt.
/// </summary>
public static partial class SmtpResilience
{
    public const string PipelineName = "smtp";

    /// <summary>The notice a send is for, named in the retry warnings.</summary>
    public static readonly ResiliencePropertyKey<string> NotificationId = new("tapewatch.notification-id");

    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddSmtpResilience(this IServiceCollection services) =>
        services.AddResiliencePipeline(PipelineName, static (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<EmailOptions>>().Value;

            // Polly refuses MaxRetryAttempts < 1: a single attempt means no retry strategy.
            if (options.MaxAttempts < 2) return;
            var redactor = context.ServiceProvider.GetRequiredService<SecretRedactor>();
            var logger = context.ServiceProvider.GetRequiredService<ILogger<EmailChannel>>();
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(options.RetryDelay, args.AttemptNumber)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } ex ? redactor.Redact($"{ex.GetType().Name}: {ex.Message}") : "no exception";
                    LogRetrying(logger, args.Context.Properties.GetValue(NotificationId, ""), args.AttemptNumber + 1, options.MaxAttempts, reason, (int)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        });

    /// <summary>The wait after the zero-based attempt <paramref name="attemptNumber"/>: the first delay doubled each time, × 0.8–1.2, at most a minute.</summary>
    internal static TimeSpan Backoff(TimeSpan first, int attemptNumber)
    {
        var baseMs = first.TotalMilliseconds * Math.Pow(2, attemptNumber);
        var jitter = 0.8 + (RandomNumberGenerator.GetInt32(0, 400) / 1000.0);
        return TimeSpan.FromMilliseconds(Math.Min(baseMs * jitter, MaxDelay.TotalMilliseconds));
    }

    /// <summary>Worth another attempt: not permanent, and not the caller cancelling.</summary>
    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        !IsPermanent(ex) && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

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

    [LoggerMessage(EventId = 1251, Level = LogLevel.Warning, Message = "Email {NotificationId}: attempt {Attempt} of {Max} failed ({Reason}); retrying in {Delay} ms")]
    private static partial void LogRetrying(ILogger logger, string notificationId, int attempt, int max, string reason, int delay);
}
