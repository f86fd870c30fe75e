using System.Globalization;
using Tapewatch.Core.Csv;

namespace Tapewatch.Core.Flows;

/// <summary>
/// Reads a flows CSV: <c>date,&lt;fund…&gt;,Total</c> in US$ millions; blank = not reported. Header-driven
/// (funds come and go); a row that does not parse is skipped with a warning naming line and column. Quoted cells and
/// names follow RFC 4180 (a quoted cell may hold commas and doubled quotes); a row running over several lines (a line
/// break inside quotes, or a quote left open) is skipped with a warning naming the lines, so that later rows keep their
/// own line numbers and an open quote cannot swallow the rest of the file unseen.
/// </summary>
public static class FlowsCsvReader
{
    public static EtfFlowParseResult Parse(TextReader reader)
    {
        using var csv = new CsvRecordReader(reader);
        var header = csv.Next(keepText: true);
        if (header is null) return new EtfFlowParseResult { Error = "The CSV is empty (no header line)." };
        if (header.SpansLines) return new EtfFlowParseResult { Error = $"The CSV header runs on to line {header.LastLine} {CsvRecord.RunOnCause}." };
        var columns = header.Cells.Select(c => c.Trim()).ToArray();
        if (columns.Length < 3 || !columns[0].Equals("date", StringComparison.OrdinalIgnoreCase))
        {
            return new EtfFlowParseResult { Error = $"The CSV header must start with 'date' and have fund columns and 'Total'; got '{Truncate(header.Text!)}'." };
        }

        var totalIndex = Array.FindIndex(columns, c => c.Equals("Total", StringComparison.OrdinalIgnoreCase));
        if (totalIndex < 0) return new EtfFlowParseResult { Error = "The CSV header has no 'Total' column." };
        var fundIndexes = Enumerable.Range(1, columns.Length - 1).Where(i => i != totalIndex).ToArray();
        if (fundIndexes.Length == 0) return new EtfFlowParseResult { Error = "The CSV header has no fund columns." };
        var duplicate = columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return new EtfFlowParseResult { Error = $"The CSV header repeats column '{duplicate.Key}'." };

        var rows = new List<EtfFlowRow>();
        var warnings = new List<string>();
        var seen = new HashSet<DateOnly>();
        while (csv.Next() is { } record)
        {
            if (record.IsBlank) continue;
            var lineNumber = record.Line;
            if (record.SpansLines)
            {
                warnings.Add(record.RunsOn + "; row skipped");
                continue;
            }

            var cells = record.Cells;
            if (cells.Length != columns.Length)
            {
                warnings.Add($"line {lineNumber}: expected {columns.Length} cells, found {cells.Length}; row skipped");
                continue;
            }

            if (!DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                warnings.Add($"line {lineNumber}: date '{Truncate(cells[0])}' is not yyyy-MM-dd; row skipped");
                continue;
            }

            if (!seen.Add(date))
            {
                warnings.Add($"line {lineNumber}: {date:yyyy-MM-dd} appears twice; later row skipped");
                continue;
            }

            var funds = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            string? bad = null;
            foreach (var i in fundIndexes)
            {
                if (!TryParseCell(cells[i], out var value))
                {
                    bad = $"line {lineNumber}: {columns[i]} value '{Truncate(cells[i])}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
                    break;
                }

                funds[columns[i]] = value;
            }

            if (bad is null && !TryParseCell(cells[totalIndex], out var total)) bad = $"line {lineNumber}: Total '{Truncate(cells[totalIndex])}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
            else total = ParseOrNull(cells[totalIndex]);

            if (bad is not null)
            {
                warnings.Add(bad);
                continue;
            }

            rows.Add(new EtfFlowRow(date, funds, total));
        }

        return new EtfFlowParseResult { Rows = rows, Warnings = warnings };
    }

    /// <summary>
    /// Blank or "-" = not reported; "(12.3)" = −12.3; quotes around the number ignored. Thousands separators, which
    /// only a quoted cell can hold, are read where they cannot be a decimal comma (<see cref="ThousandsSeparators"/>):
    /// <c>"1,234.5"</c> is 1234.5 and <c>"(1,234.5)"</c> −1234.5, but <c>"1,234"</c> and <c>"12,5"</c> do not parse.
    /// </summary>
    internal static bool TryParseCell(string raw, out decimal? value)
    {
        value = null;
        var text = raw.Trim().Trim('"').Trim();
        if (text.Length == 0 || text == "-") return true;
        var negative = text.StartsWith('(') && text.EndsWith(')');
        if (negative) text = text[1..^1];
        if (!ThousandsSeparators.TryRemove(text, out text)) return false;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)) return false;
        if (negative && d < 0) return false; // "(-12.3)" is not a number we can read (never +12.3)
        if (!EtfFlowRow.IsUsable(d)) return false;
        value = negative ? -d : d;
        return true;
    }

    private static decimal? ParseOrNull(string raw) => TryParseCell(raw, out var v) ? v : null;

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
