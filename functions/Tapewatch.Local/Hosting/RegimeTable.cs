using System.Globalization;
using System.Text;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Local.Hosting;

/// <summary>The regime as a terminal table: scenario, status, progress and the key conditions.</summary>
internal static class RegimeTable
{
    public static string Render(RegimeEvaluation e)
    {
        var sb = new StringBuilder();
        var asOf = e.AsOfSession.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
        sb.Append(CultureInfo.InvariantCulture, $"Regime as of {asOf}{(e.Provisional ? " (provisional)" : "")}: {e.Regime}").AppendLine();
        sb.Append("  ").AppendLine(e.Headline);
        sb.AppendLine();
        sb.AppendLine("scenario   status      progress  conditions");
        foreach (var s in e.Scenarios)
        {
            var progress = s.StreakUnknown ? "unknown" : $"{s.StreakLength} of {s.StreakTarget}";
            var first = true;
            foreach (var c in s.Conditions)
            {
                var prefix = first ? $"{s.Scenario,-10} {s.Status,-11} {progress,-9} " : new string(' ', 32);
                sb.Append(prefix).Append(Mark(c.Met)).Append(' ').Append(c.Text);
                sb.Append(" — ").Append(c.Observed ?? c.UnknownReason ?? "no data").Append(" vs ").Append(c.Threshold).AppendLine();
                first = false;
            }

            if (first) sb.Append(CultureInfo.InvariantCulture, $"{s.Scenario,-10} {s.Status,-11} {progress,-9}").AppendLine();
        }

        sb.AppendLine();
        sb.Append("signals:   ").AppendLine(string.Join("; ", e.Signals.Select(s => $"{s.Text} {Mark(s.Active)}")));
        sb.Append("freshness: ").AppendLine(string.Join("; ", e.Freshness.Select(f =>
            $"{f.Dataset} {(f.LatestAsOf is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none")}{(f.Stale ? " STALE" : "")}{(f.Note is { Length: > 0 } n ? $" ({n})" : "")}")));
        return sb.ToString();
    }

    private static string Mark(bool? met) => met switch
    {
        true => "[met]",
        false => "[not met]",
        null => "[unknown]",
    };
}
