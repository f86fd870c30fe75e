using System.Globalization;
using System.Text;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Hosting;

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

    /// <summary>The HTML part, from <c>AlertEmail.cshtml</c>, which encodes every value it writes.</summary>
    public static string Html(AlertMessage m)
    {
        using var email = AlertEmail.Create(m);
        return SliceText.Render(email);
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
