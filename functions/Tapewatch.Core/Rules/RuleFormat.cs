using System.Globalization;

namespace Tapewatch.Core.Rules;

/// <summary>How numbers and dates read in conditions and headlines ("+524.0", "−1,208.4", "8.5%", "7 Nov").</summary>
public static class RuleFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>US$ millions with a sign: "+524.0", "−1,208.4", "0.0".</summary>
    public static string Flow(decimal millions)
    {
        var text = Math.Abs(millions).ToString("#,##0.0", Invariant);
        return millions > 0 ? "+" + text : millions < 0 ? "\u2212" + text : text;
    }

    public static string Pct(decimal percent)
    {
        var text = Math.Abs(percent).ToString("0.##", Invariant) + "%";
        return percent < 0 ? "\u2212" + text : text;
    }

    public static string Ratio(decimal ratio) => ratio.ToString("0.00", Invariant);

    public static string Date(DateOnly date) => date.ToString("d MMM", Invariant);

    public static string DateIso(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);
}
