using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using static Tapewatch.Tests.Alerts.AlertTestData;

namespace Tapewatch.Tests.Alerts;

public sealed class AlertChannelRenderingTests
{
    private static AlertMessage Triggered(Func<ScenarioResult, ScenarioResult>? change = null)
    {
        var options = new AlertOptions { DashboardUrl = new Uri("https://tapewatch.example/dash?x=<1>") };
        var session = D("2025-11-03");
        var scenario = Scenario(ScenarioKind.Caution, ScenarioStatus.Triggered, session, streak: 4, summary: "Red streak 4 of 4 <script>");
        if (change is not null) scenario = change(scenario);
        var decision = new AlertLifecycle(options, TradingCalendar.Default).Decide(Evaluation(session, regime: Regime.Caution, scenarios: [scenario]), AlertLedger.Empty, [], Evening(session));
        return Assert.Single(decision.Notices);
    }

    [Fact]
    public void Html_part_encodes_every_value_and_links_the_dashboard()
    {
        var html = AlertRenderer.Html(Triggered());
        Assert.Contains("&lt;b&gt;&amp;&lt;/b&gt;", html, StringComparison.Ordinal); // headline
        Assert.Contains("Red streak 4 of 4 &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Trigger &lt;streak&gt; &amp; co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&</b>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://tapewatch.example/dash?x=%3C1%3E\"", html, StringComparison.Ordinal);
        Assert.Contains("<th>Threshold</th>", html, StringComparison.Ordinal);
        Assert.Contains(">unknown: no report yet<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_part_has_regime_conditions_and_link()
    {
        var text = AlertRenderer.Text(Triggered());
        Assert.StartsWith("Caution triggered — episode from 2025-11-03", text, StringComparison.Ordinal);
        Assert.Contains("Regime:        Caution", text, StringComparison.Ordinal);
        Assert.Contains("Streak:        4 of 4", text, StringComparison.Ordinal);
        Assert.Contains("[met] Trigger <streak> & co — observed -186.5, threshold < 0, as of 2025-11-03, etf-flows (farside)", text, StringComparison.Ordinal);
        Assert.Contains("[unknown] CoinShares week ≤ −1,000 — observed n/a, threshold ≤ −1,000, weekly-flows (no report yet)", text, StringComparison.Ordinal);
        Assert.Contains("Dashboard: https://tapewatch.example/dash?x=%3C1%3E", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_has_text_and_html_parts_and_a_stable_message_id()
    {
        var channel = new EmailChannel(
            Options.Create(new EmailOptions { Host = "127.0.0.1", From = "Tapewatch <alerts@example.com>", Recipients = ["a@example.com", "b@example.com"] }),
            ResiliencePipeline.Empty, new SecretRedactor(), NullLogger<EmailChannel>.Instance);
        var message = Triggered();
        var mime = channel.Build(message);
        Assert.Equal("[Tapewatch] Caution triggered — episode from 2025-11-03", mime.Subject);
        Assert.Equal(2, mime.To.Count);
        Assert.NotNull(mime.TextBody);
        Assert.NotNull(mime.HtmlBody);
        Assert.Equal(mime.MessageId, channel.Build(message).MessageId);
        Assert.Equal(message.NotificationId, mime.Headers["X-Tapewatch-Alert"]);
    }

    private static readonly HashSet<string> Adaptive14Types =
        ["message", "AdaptiveCard", "TextBlock", "FactSet", "Container", "ColumnSet", "Column", "Action.OpenUrl"];

    [Fact]
    public void Teams_payload_is_a_Workflows_message_with_an_Adaptive_Card_1_4()
    {
        var payload = TeamsCard.Payload(Triggered());
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("Open dashboard", card.GetProperty("actions")[0].GetProperty("title").GetString());
        var types = AllTypes(root).ToList();
        Assert.Contains("AdaptiveCard", types);
        Assert.Contains("FactSet", types);
        Assert.All(types, t => Assert.Contains(t, Adaptive14Types));
        Assert.Contains("Trigger <streak> & co (trigger)", payload.Replace("\\u003C", "<", StringComparison.Ordinal).Replace("\\u003E", ">", StringComparison.Ordinal).Replace("\\u0026", "&", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Teams_payload_stays_under_20_KB_by_dropping_condition_rows()
    {
        var big = Triggered(s => s with
        {
            Conditions = [.. Enumerable.Range(0, 400).Select(i => new ConditionResult { Id = "c" + i, Text = new string('x', 300) + i, Threshold = "≥ 1", Observed = "2", Met = true })],
        });
        var payload = TeamsCard.Payload(big);
        Assert.True(Encoding.UTF8.GetByteCount(payload) < TeamsCard.MaxBytes, $"{Encoding.UTF8.GetByteCount(payload)} bytes");
        Assert.Contains("more condition(s) on the dashboard", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Redactor_removes_webhook_url_and_its_signature()
    {
        var redactor = new SecretRedactor();
        var url = new Uri("https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=S3CR3T");
        redactor.AddUrl(url);
        redactor.Add("hunter22");
        var text = redactor.Redact($"POST {url} failed; sig=S3CR3T; auth hunter22; path {url.PathAndQuery}");
        Assert.DoesNotContain("S3CR3T", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/workflows/abc", text, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "3d", "because", null, null)]
    [InlineData(new string[0], "3d", "because", "matchers", "at least one matcher")]
    [InlineData(new[] { "scenario=Caution", "colour=red" }, "3d", "because", "matchers[1]", "unknown label")]
    [InlineData(new[] { "scenario=Caution" }, "3x", "because", "duration", "'duration' must be")]
    [InlineData(new[] { "scenario=Caution" }, "100d", "because", "duration", "at most 90 days")]
    [InlineData(new[] { "scenario=Caution" }, "3d", " ", "comment", "comment is required")]
    public void Silence_requests_are_validated_naming_the_field(string[]? matchers, string duration, string comment, string? parameter, string? reason)
    {
        var now = new DateTimeOffset(2025, 11, 3, 22, 0, 0, TimeSpan.Zero);
        var request = new SilenceRequest { Matchers = matchers is null ? ["scenario=Caution", "event!=Resolved"] : [.. matchers], Duration = duration, Comment = comment };
        if (parameter is null)
        {
            var silence = SilenceStore.Validate(request, now);
            Assert.Equal(now.AddDays(3), silence.EndsUtc);
            Assert.Equal(2, silence.Matchers.Count);
            Assert.True(SilenceStore.IsValidId(silence.Id));
            return;
        }

        var ex = Assert.Throws<SilenceValidationException>(() => SilenceStore.Validate(request, now));
        Assert.Equal(parameter, ex.Parameter);
        Assert.Contains(reason!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silence_until_in_the_past_is_rejected()
    {
        var now = new DateTimeOffset(2025, 11, 3, 22, 0, 0, TimeSpan.Zero);
        var ex = Assert.Throws<SilenceValidationException>(() => SilenceStore.Validate(new SilenceRequest { Matchers = ["scenario=Caution"], Until = now.AddMinutes(-1), Comment = "x" }, now));
        Assert.Equal("until", ex.Parameter);
    }

    private static IEnumerable<string> AllTypes(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name == "type" && p.Value.ValueKind == JsonValueKind.String) yield return p.Value.GetString()!;
                foreach (var t in AllTypes(p.Value)) yield return t;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                foreach (var t in AllTypes(item)) yield return t;
            }
        }
    }
}
