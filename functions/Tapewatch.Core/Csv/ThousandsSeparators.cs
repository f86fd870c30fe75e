using System.Text.RegularExpressions;

namespace Tapewatch.Core.Csv;

/// <summary>
/// Commas grouping thousands in a number cell, as a spreadsheet writes them; in a comma-separated file only a quoted
/// cell can hold them (<c>"1,234.5"</c>). They are read only where no other reading exists: groups of exactly three
/// digits after a first group of one to three (not starting with 0), and then a decimal point or a second group. So
/// "1,234.5" is 1234.5 and "12,345,678" is 12345678, but "1,234", "0,5" or "12,5" are refused: each could be a decimal
/// comma (1.234, 0.5, 12.5), and a number read 1000 times too large is worse than a row refused.
/// </summary>
internal static partial class ThousandsSeparators
{
    /// <summary>
    /// <paramref name="text"/> without commas when it has none or only unambiguous thousands separators; false when it
    /// has a comma that could mean anything else.
    /// </summary>
    public static bool TryRemove(string text, out string plain)
    {
        plain = text;
        if (!text.Contains(',', StringComparison.Ordinal)) return true;
        if (!Grouped().IsMatch(text)) return false;
        plain = text.Replace(",", "", StringComparison.Ordinal);
        return true;
    }

    [GeneratedRegex(@"^[+-]?[1-9][0-9]{0,2}(?:(?:,[0-9]{3})+\.[0-9]+|(?:,[0-9]{3}){2,})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
