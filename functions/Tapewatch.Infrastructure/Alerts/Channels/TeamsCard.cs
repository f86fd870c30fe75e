using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// The Teams Workflows webhook payload: <c>{"type":"message","attachments":[{"contentType":
/// "application/vnd.microsoft.card.adaptive","contentUrl":null,"content":&lt;Adaptive Card 1.4&gt;}]}</c>. Only 1.4
/// elements (TextBlock, FactSet, Container, ColumnSet, Action.OpenUrl — no Table, which is 1.5), kept under
/// <see cref="MaxBytes"/> by dropping condition rows (the dashboard has them all).
/// </summary>
public static class TeamsCard
{
    public const int MaxBytes = 20 * 1024;
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    private const int TargetBytes = 19 * 1024;
    private const int MaxTextChars = 400;

    public static string Payload(AlertMessage message)
    {
        var rows = message.Conditions.Count;
        while (true)
        {
            var json = Build(message, rows).ToJsonString();
            if (Encoding.UTF8.GetByteCount(json) <= TargetBytes || rows == 0) return json;
            rows = Math.Max(0, rows - Math.Max(1, rows / 4));
        }
    }

    public static JsonObject Build(AlertMessage m, int conditionRows)
    {
        var colour = m.Kind switch
        {
            NotificationKind.Resolved => "Good",
            NotificationKind.DataStale => "Warning",
            NotificationKind.RegimeChange => "Accent",
            _ => "Attention",
        };
        var body = new JsonArray
        {
            Text(m.Title, size: "Large", weight: "Bolder", color: colour),
            Text(m.Headline),
        };
        if (m.Detail is { Length: > 0 }) body.Add(Text(m.Detail, subtle: true));
        var facts = new JsonArray();
        foreach (var (name, value) in AlertRenderer.Facts(m)) facts.Add(new JsonObject { ["title"] = name, ["value"] = Clip(value) });
        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });

        if (m.Conditions.Count > 0)
        {
            var items = new JsonArray { Row("Condition", "Observed", "Threshold", "Status", header: true) };
            foreach (var c in m.Conditions.Take(conditionRows))
            {
                var name = c.Role switch { "trigger" => c.Text + " (trigger)", "risk" => c.Text + " (risk flag)", _ => c.Text };
                items.Add(Row(name, c.Observed ?? "n/a", c.Threshold, c.MetText, header: false, met: c.Met));
            }

            if (conditionRows < m.Conditions.Count)
            {
                items.Add(Text($"… {(m.Conditions.Count - conditionRows).ToString(CultureInfo.InvariantCulture)} more condition(s) on the dashboard", subtle: true));
            }

            body.Add(new JsonObject { ["type"] = "Container", ["separator"] = true, ["spacing"] = "Medium", ["items"] = items });
        }

        body.Add(Text("Alert " + m.NotificationId, subtle: true, size: "Small"));
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.4",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (m.DashboardUrl is not null)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open dashboard", ["url"] = m.DashboardUrl.AbsoluteUri } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = ContentType, ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static JsonObject Row(string a, string b, string c, string d, bool header, bool? met = null)
    {
        JsonObject Col(string text, string width, string? color = null) => new()
        {
            ["type"] = "Column",
            ["width"] = width,
            ["items"] = new JsonArray { Text(text, weight: header ? "Bolder" : null, color: color, size: "Small") },
        };
        var statusColour = header ? null : met switch { true => "Good", false => "Default", null => "Warning" };
        return new JsonObject
        {
            ["type"] = "ColumnSet",
            ["spacing"] = "Small",
            ["columns"] = new JsonArray { Col(a, "4"), Col(b, "2"), Col(c, "2"), Col(d, "1", statusColour) },
        };
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null, bool subtle = false)
    {
        var o = new JsonObject { ["type"] = "TextBlock", ["text"] = Clip(text), ["wrap"] = true };
        if (size is not null) o["size"] = size;
        if (weight is not null) o["weight"] = weight;
        if (color is not null) o["color"] = color;
        if (subtle) o["isSubtle"] = true;
        return o;
    }

    private static string Clip(string s) => s.Length <= MaxTextChars ? s : s[..(MaxTextChars - 1)] + "…";

    /// <summary>For tests and diagnostics: the card (content) of a payload.</summary>
    public static JsonElement CardOf(string payload) =>
        JsonDocument.Parse(payload).RootElement.GetProperty("attachments")[0].GetProperty("content").Clone();
}
