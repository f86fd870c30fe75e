using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Tests.Http;

namespace Tapewatch.Tests.Alerts;

/// <summary>The SMTP pipeline as registered (<see cref="SmtpResilience"/>): which failures are tried again, how often, how long it waits.</summary>
public sealed class SmtpResilienceTests
{
    [Theory]
    [InlineData("connection refused", 4)]
    [InlineData("connection reset", 4)]
    [InlineData("not connected", 4)]
    [InlineData("protocol", 4)]
    [InlineData("timeout", 4)]
    [InlineData("MailKit timeout", 4)]
    [InlineData("SMTP 4xx", 4)]
    [InlineData("SMTP 5xx", 1)]
    [InlineData("authentication", 1)]
    [InlineData("TLS handshake", 1)]
    [InlineData("TLS authentication", 1)]
    [InlineData("not supported", 1)]
    public async Task Transient_failures_are_tried_up_to_MaxAttempts_and_permanent_ones_once(string failure, int attempts)
    {
        using var smtp = new Smtp(maxAttempts: 4, retryDelay: TimeSpan.Zero);
        var tried = 0;

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => smtp.Pipeline.ExecuteAsync(_ =>
        {
            tried++;
            throw Failure(failure);
        }).AsTask());

        Assert.Equal(Failure(failure).GetType(), thrown.GetType());
        Assert.Equal(attempts, tried);
        Assert.Equal(attempts == 1, SmtpResilience.IsPermanent(thrown));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public async Task MaxAttempts_counts_every_attempt(int maxAttempts)
    {
        using var smtp = new Smtp(maxAttempts, TimeSpan.Zero);
        var tried = 0;

        await Assert.ThrowsAsync<SocketException>(() => smtp.Pipeline.ExecuteAsync(_ =>
        {
            tried++;
            throw new SocketException((int)SocketError.ConnectionRefused);
        }).AsTask());

        Assert.Equal(maxAttempts, tried);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_retried()
    {
        using var smtp = new Smtp(maxAttempts: 4, retryDelay: TimeSpan.Zero);
        using var cancel = new CancellationTokenSource();
        var tried = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => smtp.Pipeline.ExecuteAsync(ct =>
        {
            tried++;
            cancel.Cancel();
            ct.ThrowIfCancellationRequested();
            return ValueTask.CompletedTask;
        }, cancel.Token).AsTask());

        Assert.Equal(1, tried);
    }

    [Fact]
    public async Task A_success_after_failures_ends_the_retries()
    {
        using var smtp = new Smtp(maxAttempts: 4, retryDelay: TimeSpan.Zero);
        var tried = 0;

        await smtp.Pipeline.ExecuteAsync(_ => ++tried < 3 ? throw new IOException("reset") : ValueTask.CompletedTask);

        Assert.Equal(3, tried);
    }

    [Fact]
    public async Task Waits_double_from_RetryDelay_with_jitter_on_the_app_clock_and_each_retry_is_logged_without_secrets()
    {
        using var smtp = new Smtp(maxAttempts: 3, retryDelay: TimeSpan.FromSeconds(2), password: "sup3r-s3cret");
        var tried = 0;
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(SmtpResilience.NotificationId, "scenario:caution:triggered:2025-11-03:firing");

        var run = smtp.Pipeline.ExecuteAsync(_ => ++tried < 3 ? throw new IOException("reset by sup3r-s3cret") : ValueTask.CompletedTask, context).AsTask();
        await smtp.Time.WaitForTimerAsync(t => t >= TimeSpan.FromSeconds(1.6) && t < TimeSpan.FromSeconds(2.4));
        Assert.Equal(1, tried);
        smtp.Time.Advance(TimeSpan.FromSeconds(2.4));
        await smtp.Time.WaitForTimerAsync(t => t >= TimeSpan.FromSeconds(3.2) && t < TimeSpan.FromSeconds(4.8));
        Assert.Equal(2, tried);
        smtp.Time.Advance(TimeSpan.FromSeconds(4.8));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        ResilienceContextPool.Shared.Return(context);

        Assert.Equal(3, tried);
        var warnings = smtp.Logs.Lines.Where(l => l.StartsWith("Email scenario:caution:triggered:2025-11-03:firing: attempt", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Email scenario:caution:triggered:2025-11-03:firing: attempt 1 of 3 failed (IOException: reset by " + SecretRedactor.Mask + "); retrying in ", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("Email scenario:caution:triggered:2025-11-03:firing: attempt 2 of 3 failed", warnings[1], StringComparison.Ordinal);
        Assert.DoesNotContain(smtp.Logs.Lines, l => l.Contains("sup3r-s3cret", StringComparison.Ordinal) && l.StartsWith("Email ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1600, 2400)]
    [InlineData(1, 3200, 4800)]
    [InlineData(2, 6400, 9600)]
    [InlineData(5, 51_200, 60_000)]
    [InlineData(9, 60_000, 60_000)] // at most a minute
    public void Backoff_doubles_the_first_delay_with_jitter_up_to_a_minute(int attemptNumber, int minMs, int maxMs)
    {
        for (var i = 0; i < 50; i++)
        {
            var delay = SmtpResilience.Backoff(TimeSpan.FromSeconds(2), attemptNumber).TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
    }

    private static Exception Failure(string name) => name switch
    {
        "connection refused" => new SocketException((int)SocketError.ConnectionRefused),
        "connection reset" => new IOException("Connection reset by peer"),
        "not connected" => new ServiceNotConnectedException(),
        "protocol" => new SmtpProtocolException("unexpected response"),
        "timeout" => new TimeoutException(),
        "MailKit timeout" => new OperationCanceledException("timed out"),
        "SMTP 4xx" => new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "try later"),
        "SMTP 5xx" => new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"),
        "authentication" => new MailKit.Security.AuthenticationException("535 bad credentials"),
        "TLS handshake" => new SslHandshakeException("no TLS"),
        "TLS authentication" => new System.Security.Authentication.AuthenticationException("certificate"),
        "not supported" => new NotSupportedException("AUTH not supported"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The keyed pipeline from the app's registration, over a recording fake clock.</summary>
    private sealed class Smtp : IDisposable
    {
        private readonly ServiceProvider _services;

        public Smtp(int maxAttempts, TimeSpan retryDelay, string? password = null)
        {
            var services = new ServiceCollection().AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
            services.AddSingleton<TimeProvider>(Time);
            var redactor = new SecretRedactor();
            redactor.Add(password);
            services.AddSingleton(redactor);
            services.Configure<EmailOptions>(o => (o.Host, o.MaxAttempts, o.RetryDelay) = ("127.0.0.1", maxAttempts, retryDelay));
            services.AddSmtpResilience();
            _services = services.BuildServiceProvider();
            Pipeline = _services.GetRequiredKeyedService<ResiliencePipeline>(SmtpResilience.PipelineName);
        }

        public TimerRecordingTimeProvider Time { get; } = new();

        public ListLogger Logs { get; } = new();

        public ResiliencePipeline Pipeline { get; }

        public void Dispose() => _services.Dispose();
    }
}
