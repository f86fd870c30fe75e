using System.Globalization;
using System.Net;
using System.Text;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>Plain text and HTML renderings of a notice (email parts, outbox .txt). HTML encodes every value.</summary>
public static class AlertRenderer
{
    public static string Subject(AlertMessage m) => "[Tapewatch] " + m.Title;

    public static string Text(AlertMessage m)
    {
        var sb = new StringBuilder();
        sb.AppendLine(m.Title);
        sb.AppendLine(new string('=', Math.Min(m.Title.Length, 72)));
        sb.AppendLine();
        sb.AppendLine(m.Headline);
        if (m.Detail is { Length: > 0 }) sb.AppendLine(m.Detail);
        sb.AppendLine();
        foreach (var (name, value) in Facts(m)) sb.Append(CultureInfo.InvariantCulture, $"{name + ":",-15}{value}").AppendLine();
        if (m.Conditions.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Conditions:");
            foreach (var c in m.Conditions)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  [{c.MetText}] {c.Text} — observed {c.Observed ?? "n/a"}, threshold {c.Threshold}");
                if (c.AsOf is { } asOf) sb.Append(CultureInfo.InvariantCulture, $", as of {asOf:yyyy-MM-dd}");
                if (c.Source is { Length: > 0 }) sb.Append(CultureInfo.InvariantCulture, $", {c.Source}");
                if (c.Met is null && c.UnknownReason is { Length: > 0 }) sb.Append(CultureInfo.InvariantCulture, $" ({c.UnknownReason})");
                sb.AppendLine();
            }
        }

        if (m.DashboardUrl is not null)
        {
            sb.AppendLine();
            sb.AppendLine("Dashboard: " + m.DashboardUrl.AbsoluteUri);
        }

        sb.AppendLine();
        sb.AppendLine("Alert " + m.NotificationId);
        return sb.ToString();
    }

    public static string Html(AlertMessage m)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><body style=\"font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#222\">");
        sb.Append("<h2 style=\"margin:0 0 8px\">").Append(E(m.Title)).Append("</h2>");
        sb.Append("<p style=\"margin:0 0 8px\"><strong>").Append(E(m.Headline)).Append("</strong></p>");
        if (m.Detail is { Length: > 0 }) sb.Append("<p style=\"margin:0 0 8px\">").Append(E(m.Detail)).Append("</p>");
        sb.Append("<table style=\"border-collapse:collapse;margin:8px 0\">");
        foreach (var (name, value) in Facts(m))
        {
            sb.Append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0\">").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        sb.Append("</table>");
        if (m.Conditions.Count > 0)
        {
            sb.Append("<table style=\"border-collapse:collapse;margin:8px 0\" border=\"1\" cellpadding=\"4\">");
            sb.Append("<tr><th>Condition</th><th>Observed</th><th>Threshold</th><th>Status</th><th>As of</th><th>Source</th></tr>");
            foreach (var c in m.Conditions)
            {
                var colour = c.Met switch { true => "#1a7f37", false => "#555", null => "#9a6700" };
                sb.Append("<tr><td>").Append(E(c.Text)).Append(c.Role == "trigger" ? " <em>(trigger)</em>" : c.Role == "risk" ? " <em>(risk flag)</em>" : "")
                    .Append("</td><td>").Append(E(c.Observed ?? "n/a"))
                    .Append("</td><td>").Append(E(c.Threshold))
                    .Append("</td><td style=\"color:").Append(colour).Append("\">").Append(E(c.MetText)).Append(c.Met is null && c.UnknownReason is { Length: > 0 } ? ": " + E(c.UnknownReason) : "")
                    .Append("</td><td>").Append(E(c.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
                    .Append("</td><td>").Append(E(c.Source))
                    .Append("</td></tr>");
            }

            sb.Append("</table>");
        }

        if (m.DashboardUrl is not null)
        {
            sb.Append("<p><a href=\"").Append(E(m.DashboardUrl.AbsoluteUri)).Append("\">Open the Tapewatch dashboard</a></p>");
        }

        sb.Append("<p style=\"color:#888;font-size:12px\">Alert ").Append(E(m.NotificationId)).Append("</p></body></html>");
        return sb.ToString();
    }

    /// <summary>Name/value lines shown above the conditions (email, Teams FactSet).</summary>
    public static IReadOnlyList<(string Name, string Value)> Facts(AlertMessage m)
    {
        var facts = new List<(string, string)> { ("Regime", m.PreviousRegime is null ? m.Regime : $"{m.PreviousRegime} → {m.Regime}") };
        if (m.Scenario is not null) facts.Add(("Scenario", m.ScenarioStatus is null ? m.Scenario : $"{m.Scenario} ({m.ScenarioStatus})"));
        if (m.Streak is not null) facts.Add(("Streak", m.Streak));
        if (m.Dataset is not null) facts.Add(("Dataset", m.Dataset));
        facts.Add(("As of session", m.AsOfSession.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (m.Provisional ? " (provisional: late funds pending)" : "")));
        if (m.AlertKind == AlertKind.Scenario) facts.Add(("Episode start", m.EpisodeStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return facts;
    }
}
