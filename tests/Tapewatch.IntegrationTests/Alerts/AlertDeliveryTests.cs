using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Moq;
using netDumbster.smtp;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Alerts.Channels;
using static Tapewatch.IntegrationTests.Alerts.AlertTestHost;

namespace Tapewatch.IntegrationTests.Alerts;

/// <summary>
/// The alert listener against real parts: Azurite (ledger, notification log), a real SMTP server (netDumbster, in-process
/// on a loopback port), a loopback HTTP listener as the Teams webhook. Each test has its own Azurite.
/// </summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private static readonly DateOnly Nov3 = new(2025, 11, 3);
    private AlertTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, string?> Email(int port) => new()
    {
        ["Tapewatch:Alerts:Email:Host"] = "127.0.0.1",
        ["Tapewatch:Alerts:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tapewatch:Alerts:Email:Security"] = "None",
        ["Tapewatch:Alerts:Email:From"] = "Tapewatch <alerts@tapewatch.test>",
        ["Tapewatch:Alerts:Email:Recipients:0"] = "desk@tapewatch.test",
        ["Tapewatch:Alerts:Email:MaxAttempts"] = "2",
        ["Tapewatch:Alerts:Email:RetryDelay"] = "00:00:00.050",
        ["Tapewatch:Alerts:Email:Timeout"] = "00:00:05",
        ["Tapewatch:Alerts:DashboardUrl"] = "http://localhost:7071/",
    };

    private static Dictionary<string, string?> Teams(Uri url, Dictionary<string, string?>? with = null)
    {
        var d = with ?? [];
        d["Tapewatch:Alerts:Teams:WebhookUrl"] = url.ToString();
        d["Tapewatch:Alerts:Teams:RetryDelay"] = "00:00:00.020";
        d["Tapewatch:Alerts:Teams:MaxRetries"] = "2";
        return d;
    }

    [Fact]
    public async Task Triggered_scenario_sends_exactly_one_email_even_when_the_evaluation_is_delivered_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using var smtp = SimpleSmtpServer.Start(port);
        var services = _host.Services(Email(port));
        var listener = Listener(services);

        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);
        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        Assert.Equal(1, smtp.ReceivedEmailCount);
        var mime = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data)), ct);
        Assert.Equal("[Tapewatch] Caution triggered — episode from 2025-11-03", mime.Subject);
        Assert.Equal("desk@tapewatch.test", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Contains("Last 4 sessions each < 0", mime.TextBody, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;(−1,208.4m this week)&lt;/b&gt;", mime.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost:7071/\"", mime.HtmlBody, StringComparison.Ordinal);

        var log = await services.GetRequiredService<NotificationLog>().ListAsync(ct);
        var row = Assert.Single(log);
        Assert.Equal(("scenario:caution:triggered:2025-11-03:firing", "email", DeliveryStatus.Sent), (row.NotificationId, row.Channel, row.Status));
        var alert = Assert.Single(await services.GetRequiredService<AlertStore>().ListAsync(ct));
        Assert.True(alert.Notified);
    }

    [Fact]
    public async Task Racing_evaluators_send_exactly_one_email()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using var smtp = SimpleSmtpServer.Start(port);

        // Two evaluator instances (separate containers, same storage), each handling the message twice at once.
        var a = Listener(_host.Services(Email(port)));
        var b = Listener(_host.Services(Email(port)));
        var evaluation = CautionTriggered(Nov3);
        await Task.WhenAll(
            Task.Run(() => a.OnEvaluatedAsync(evaluation, ct), ct),
            Task.Run(() => b.OnEvaluatedAsync(evaluation, ct), ct),
            Task.Run(() => a.OnEvaluatedAsync(evaluation, ct), ct),
            Task.Run(() => b.OnEvaluatedAsync(evaluation, ct), ct));

        Assert.Equal(1, smtp.ReceivedEmailCount);
    }

    [Fact]
    public async Task Smtp_down_then_up_sends_once_later_without_resending_on_the_channel_that_succeeded()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort(); // nothing listens yet: connection refused
        await using var teams = new FakeWebhook();
        var listener = Listener(_host.Services(Teams(teams.Url, Email(port))));

        var failure = await Assert.ThrowsAsync<AlertDeliveryFailedException>(() => listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct));
        Assert.Contains("email", failure.Message, StringComparison.Ordinal);
        Assert.Single(teams.Requests);

        using var smtp = SimpleSmtpServer.Start(port);
        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct); // the queue's retry of the same message
        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        Assert.Equal(1, smtp.ReceivedEmailCount);
        Assert.Single(teams.Requests);
    }

    [Fact]
    public async Task Smtp_credentials_are_used_but_the_password_is_never_logged()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using var smtp = SimpleSmtpServer.Start(port);
        var settings = Email(port);
        settings["Tapewatch:Alerts:Email:User"] = "apikey";
        settings["Tapewatch:Alerts:Email:Password"] = "SG.sup3r-s3cret-p4ssword";

        await Listener(_host.Services(settings)).OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        Assert.Equal(1, smtp.ReceivedEmailCount);
        Assert.Contains(_host.Logs.Entries, e => e.Text.Contains("Email scenario:caution:triggered:2025-11-03:firing sent", StringComparison.Ordinal));
        Assert.DoesNotContain("sup3r-s3cret", _host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_tls_mismatch_is_a_permanent_failure_recorded_not_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        using var smtp = SimpleSmtpServer.Start(port); // plain SMTP: a TLS handshake cannot succeed
        var settings = Email(port);
        settings["Tapewatch:Alerts:Email:Security"] = "SslOnConnect";
        var services = _host.Services(settings);

        await Listener(services).OnEvaluatedAsync(CautionTriggered(Nov3), ct); // permanent: recorded, not thrown

        Assert.Equal(0, smtp.ReceivedEmailCount);
        var row = Assert.Single(await services.GetRequiredService<NotificationLog>().ListAsync(ct));
        Assert.Equal((DeliveryStatus.Rejected, 1), (row.Status, row.Attempts));
        Assert.Contains("after 1 attempt(s)", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teams_webhook_receives_an_Adaptive_Card_under_20_KB()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = new FakeWebhook(202);
        var listener = Listener(_host.Services(Teams(teams.Url)));

        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        var (body, userAgent, contentType) = Assert.Single(teams.Requests);
        Assert.True(Encoding.UTF8.GetByteCount(body) < 20 * 1024, $"{Encoding.UTF8.GetByteCount(body)} bytes");
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        Assert.Equal(AlertsServiceCollectionExtensions.UserAgent, userAgent);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        var attachment = Assert.Single(doc.RootElement.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        var title = card.GetProperty("body")[0];
        Assert.Equal("Caution triggered — episode from 2025-11-03", title.GetProperty("text").GetString());
        Assert.Contains(card.GetProperty("body").EnumerateArray(), e => e.GetProperty("type").GetString() == "FactSet");
    }

    [Fact]
    public async Task Teams_400_is_not_retried_and_the_logged_error_does_not_contain_the_url()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = new FakeWebhook(400, 400, 400);
        var services = _host.Services(Teams(teams.Url));
        var listener = Listener(services);

        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct); // permanent: recorded, not thrown, not retried
        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        Assert.Single(teams.Requests);
        var row = Assert.Single(await services.GetRequiredService<NotificationLog>().ListAsync(ct));
        Assert.Equal(DeliveryStatus.Rejected, row.Status);
        Assert.Contains("400", row.LastError, StringComparison.Ordinal);

        var error = Assert.Single(_host.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Teams webhook answered 400", error.Text, StringComparison.Ordinal);
        var all = _host.Logs.All;
        Assert.DoesNotContain("TopSecretSig0123456789", all, StringComparison.Ordinal);
        Assert.DoesNotContain("/workflows/4f1c9d2e", all, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecretSig0123456789", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teams_503_is_retried_by_the_pipeline_then_sent_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = new FakeWebhook(503, 202);
        var services = _host.Services(Teams(teams.Url));

        await Listener(services).OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        Assert.Equal(2, teams.Requests.Count);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await services.GetRequiredService<NotificationLog>().ListAsync(ct)).Status);
        Assert.DoesNotContain("TopSecretSig0123456789", _host.Logs.All, StringComparison.Ordinal);
    }

    /// <summary>
    /// No Service Bus (nor its emulator, which needs Docker and SQL Edge) is reachable in this environment, so the
    /// sender is a Moq ServiceBusSender; everything else (ledger, notification log, listener) is real.
    /// </summary>
    [Fact]
    public async Task Service_bus_sender_receives_one_message_with_the_documented_properties()
    {
        var ct = TestContext.Current.CancellationToken;
        var sent = new List<ServiceBusMessage>();
        var sender = new Mock<ServiceBusSender>();
        sender.SetupGet(s => s.EntityPath).Returns("tapewatch-alerts");
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m))
            .Returns(Task.CompletedTask);
        var services = _host.Services(new Dictionary<string, string?>(), s =>
            s.AddSingleton<IAlertChannel>(sp => ActivatorUtilities.CreateInstance<ServiceBusChannel>(sp, sender.Object)));
        var listener = Listener(services);

        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);
        await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

        var message = Assert.Single(sent);
        Assert.Equal("scenario:caution:triggered:2025-11-03:firing:servicebus", message.MessageId);
        Assert.Equal("Triggered", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal("Caution", message.ApplicationProperties["scenario"]);
        Assert.Equal("Triggered", message.ApplicationProperties["level"]);
        Assert.Equal("Caution", message.ApplicationProperties["regime"]);
        using var body = JsonDocument.Parse(message.Body.ToString());
        Assert.Equal("scenario:caution:triggered:2025-11-03", body.RootElement.GetProperty("alertIdentity").GetString());
        Assert.Equal("Triggered", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("conditions").GetArrayLength());
    }

    [Fact]
    public async Task Outbox_writes_json_and_text_once_per_notice_and_a_silence_withholds_until_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Path.GetTempPath(), "tapewatch-outbox-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var services = _host.Services(new Dictionary<string, string?> { ["Tapewatch:Alerts:Outbox:Directory"] = dir });
            var listener = Listener(services);
            var silences = services.GetRequiredService<SilenceStore>();
            var silence = await silences.CreateAsync(new SilenceRequest { Matchers = ["scenario=Caution"], Duration = "1d", Comment = "known" }, ct);

            await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);
            Assert.False(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any());

            Assert.True(await silences.DeleteAsync(silence.Id, ct));
            await listener.OnEvaluatedAsync(CautionTriggered(Nov3), ct);

            var files = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray();
            Assert.Equal(["scenario_caution_triggered_2025-11-03_firing.json", "scenario_caution_triggered_2025-11-03_firing.txt"], files);
            var text = await File.ReadAllTextAsync(Path.Combine(dir, files[1]), ct);
            Assert.StartsWith("[Tapewatch] Caution triggered", text, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
