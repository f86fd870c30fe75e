using System.Buffers;
using System.Globalization;

namespace Tapewatch.Core.Flows;

/// <summary>
/// Parses Farside's flow table (<c>table.etf</c>, on /btc/ and the all-data page). Header-driven: the
/// ticker row of the header names the fund columns (funds come and go) and the header cell "Total" the
/// total column, whatever rows (issuer logos, fees) surround them. Cells: "(12.3)" is −12.3 (shown in
/// span.redFont), thousands separators are allowed, "-" is "not reported" (null, never zero). Trailer
/// rows (Total/Average/Maximum/Minimum) are skipped; a row with every fund "-" (holiday, or the green
/// pending "today" row) is kept as a non-session row (<see cref="EtfFlowRow.IsSession"/> is false).
/// <para>
/// The page's tables are read by <see cref="FarsideTableScanner"/> (one pass over the string, no DOM) when the markup
/// stays within what it reads exactly — Farside's does —, else by AngleSharp; both give the same cells
/// (<see cref="FarsideTables"/>), which one reading below turns into rows.
/// </para>
/// </summary>
public static class FarsideHtmlParser
{
    private static readonly string[] DateFormats = ["dd MMM yyyy", "d MMM yyyy", "dd MMMM yyyy", "d MMMM yyyy", "yyyy-MM-dd"];
    private static readonly string[] TrailerLabels = ["Total", "Average", "Maximum", "Minimum"];
    private static readonly string[] MonthAbbreviations = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];

    public static EtfFlowParseResult Parse(string html) => Parse(html, FarsideTableReader.Auto)!;

    /// <summary>
    /// <see cref="Parse(string)"/> with the table reader chosen: <see cref="FarsideTableReader.ScannerOnly"/> returns null
    /// where the scanner declines the page (tests compare the two readers).
    /// </summary>
    internal static EtfFlowParseResult? Parse(string html, FarsideTableReader reader)
    {
        if (string.IsNullOrWhiteSpace(html)) return new EtfFlowParseResult { Error = "The page is empty." };
        if (FarsideChallenge.IsChallenge(html))
        {
            return new EtfFlowParseResult { Error = "The page is a Cloudflare challenge (\"Just a moment…\"), not the flows table." };
        }

        var tables = reader == FarsideTableReader.AngleSharp ? null : FarsideTableScanner.TryRead(html);
        if (tables is null)
        {
            if (reader == FarsideTableReader.ScannerOnly) return null;
            tables = FarsideTables.ReadWithAngleSharp(html);
        }

        using (tables)
        {
            return Parse(html, tables);
        }
    }

    private static EtfFlowParseResult Parse(string html, FarsideTables tables)
    {
        if (tables.TableCount == 0) return new EtfFlowParseResult { Error = "The page has no <table> (expected Farside's flows table, class \"etf\")." };
        if (html.IndexOf("</table", StringComparison.OrdinalIgnoreCase) < 0)
        {
            // A page cut off in transit still parses (HTML is forgiving), but its last cell may be a number cut in half
            // ("1,205.2" → "1,2"): read nothing from a table that is not closed.
            return new EtfFlowParseResult { Error = "The page is truncated: the flows table is not closed (no </table>); nothing is read from a partial page." };
        }

        // Prefer table.etf; fall back to any table that has a ticker header and a Total column.
        // When none can be read, the first table's failure is the answer, with its row-by-row reasons.
        EtfFlowParseResult? firstFailure = null;
        foreach (var etf in (ReadOnlySpan<bool>)[true, false])
        {
            for (var table = 0; table < tables.TableCount; table++)
            {
                if (tables.IsEtf(table) != etf) continue;
                var result = ParseTable(tables, table);
                if (result.Succeeded) return result;
                firstFailure ??= result;
            }
        }

        return firstFailure!;
    }

    private static EtfFlowParseResult ParseTable(FarsideTables tables, int table)
    {
        var grids = new List<string[]>();
        foreach (var row in tables.RowsOf(table))
        {
            if (tables.RowAt(row).IsHeader) grids.Add(Cells(tables, row));
        }

        if (grids.Count == 0)
        {
            return new EtfFlowParseResult { Error = "The flows table has no header rows (<thead> or <th> cells with the fund tickers)." };
        }

        // The header row with the most tickers (the first of equals).
        string[]? tickerRow = null;
        var most = 0;
        foreach (var cells in grids)
        {
            var count = cells.Skip(1).Count(IsFund);
            if (count >= 2 && count > most) (tickerRow, most) = (cells, count);
        }

        if (tickerRow is null)
        {
            return new EtfFlowParseResult { Error = "The flows table header has no row of fund tickers (e.g. IBIT, FBTC)." };
        }

        var totalIndex = -1;
        foreach (var cells in grids)
        {
            totalIndex = Array.FindIndex(cells, c => c.Equals("Total", StringComparison.OrdinalIgnoreCase));
            if (totalIndex > 0) break;
        }

        if (totalIndex <= 0) return new EtfFlowParseResult { Error = "The flows table header has no 'Total' column." };

        var funds = new List<(int Index, string Ticker)>();
        for (var i = 1; i < tickerRow.Length; i++)
        {
            if (i == totalIndex) continue;
            if (IsFund(tickerRow[i])) funds.Add((i, tickerRow[i]));
        }

        var duplicate = funds.GroupBy(f => f.Ticker, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return new EtfFlowParseResult { Error = $"The flows table header repeats fund '{duplicate.Key}'." };

        var parsed = new List<EtfFlowRow>();
        var warnings = new List<string>();
        var seen = new HashSet<DateOnly>();
        var width = Math.Max(totalIndex, funds.Max(f => f.Index)) + 1;
        var sorted = true;
        foreach (var row in tables.RowsOf(table))
        {
            ref readonly var shape = ref tables.RowAt(row);
            if (shape.IsHeader) continue;
            var cellCount = shape.ExpandedCells;
            if (IsBlank(tables, row, cellCount)) continue;
            var label = tables.CellText(row, 0);
            if (IsTrailer(label)) continue;
            if (!TryParseDate(label, out var date))
            {
                warnings.Add($"row '{Truncate(label)}': not a date; skipped");
                continue;
            }

            if (cellCount < width)
            {
                warnings.Add($"{date:yyyy-MM-dd}: {cellCount} cells, the header needs {width}; row skipped");
                continue;
            }

            if (!seen.Add(date))
            {
                warnings.Add($"{date:yyyy-MM-dd}: appears twice; later row skipped");
                continue;
            }

            var values = new Dictionary<string, decimal?>(funds.Count, StringComparer.Ordinal);
            string? bad = null;
            foreach (var (index, ticker) in funds)
            {
                if (!TryParseCell(tables.CellText(row, index), out var value))
                {
                    bad = $"{date:yyyy-MM-dd}: {ticker} value '{Truncate(tables.CellText(row, index))}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
                    break;
                }

                values[ticker] = value;
            }

            decimal? total = null;
            if (bad is null && !TryParseCell(tables.CellText(row, totalIndex), out total))
            {
                bad = $"{date:yyyy-MM-dd}: Total '{Truncate(tables.CellText(row, totalIndex))}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
            }

            if (bad is not null)
            {
                warnings.Add(bad);
                continue;
            }

            sorted &= parsed.Count == 0 || parsed[^1].Date <= date;
            parsed.Add(new EtfFlowRow(date, values, total));
        }

        if (parsed.Count == 0 && warnings.Count == 0)
        {
            return new EtfFlowParseResult { Error = "The flows table has no dated rows (expected dates like '06 Jul 2026' in the first column)." };
        }

        if (parsed.Count == 0)
        {
            return new EtfFlowParseResult { Error = "No row of the flows table could be read: " + string.Join("; ", warnings.Take(3)), Warnings = warnings };
        }

        // Dates are distinct, so a stable sort by date is the identity on rows already in order.
        return new EtfFlowParseResult { Rows = sorted ? parsed : parsed.OrderBy(r => r.Date).ToList(), Warnings = warnings };
    }

    /// <summary>"-"/blank = not reported; "(1,113.7)" = −1113.7; "1,205.2" = 1205.2; beyond <see cref="EtfFlowRow.MaxAbsUsdM"/> is not usable.</summary>
    public static bool TryParseCell(string raw, out decimal? value) => TryParseCell(raw.AsSpan(), out value);

    /// <inheritdoc cref="TryParseCell(string, out decimal?)"/>
    internal static bool TryParseCell(ReadOnlySpan<char> raw, out decimal? value)
    {
        value = null;
        var text = raw.Trim();
        if (text.Contains('\u00A0')) return TryParseCell(text.ToString().Replace('\u00A0', ' ').AsSpan(), out value);
        if (text.Length == 0 || text is "-" or "–" or "—") return true;
        var negative = text.StartsWith('(') && text.EndsWith(')');
        if (negative) text = text[1..^1].Trim();
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d))
        {
            return false;
        }

        if (negative && d < 0) return false;
        if (!EtfFlowRow.IsUsable(d)) return false;
        value = negative ? -d : d;
        return true;
    }

    /// <summary>
    /// <c>DateOnly.TryParseExact(label, DateFormats, InvariantCulture)</c>; Farside's "06 Jul 2026" (two digits, the
    /// invariant month abbreviation, four digits) is read directly (what TryParseExact makes of it), anything else by it.
    /// </summary>
    private static bool TryParseDate(ReadOnlySpan<char> label, out DateOnly date)
    {
        if (label.Length == 11 && label[2] == ' ' && label[6] == ' '
            && TryDigits(label[..2], out var day) && TryDigits(label[7..], out var year) && year >= 1
            && MonthOf(label.Slice(3, 3)) is var m and >= 0
            && day >= 1 && day <= DateTime.DaysInMonth(year, m + 1))
        {
            date = new DateOnly(year, m + 1, day);
            return true;
        }

        return DateOnly.TryParseExact(label, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static int MonthOf(ReadOnlySpan<char> abbreviation)
    {
        for (var m = 0; m < MonthAbbreviations.Length; m++)
        {
            if (abbreviation.SequenceEqual(MonthAbbreviations[m])) return m;
        }

        return -1;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static string[] Cells(FarsideTables tables, int row)
    {
        var cells = new string[tables.RowAt(row).ExpandedCells];
        for (var i = 0; i < cells.Length; i++) cells[i] = tables.CellString(row, i);
        return cells;
    }

    private static bool IsBlank(FarsideTables tables, int row, int cellCount)
    {
        for (var i = 0; i < cellCount; i++)
        {
            if (!tables.CellText(row, i).IsEmpty) return false;
        }

        return true;
    }

    /// <summary>A fund ticker: two to six of A–Z/0–9, a letter first, and not a trailer label ("TOTAL").</summary>
    private static bool IsFund(string cell)
    {
        if (cell.Length is < 2 or > 6 || !char.IsAsciiLetterUpper(cell[0])) return false;
        for (var i = 1; i < cell.Length; i++)
        {
            if (!char.IsAsciiLetterUpper(cell[i]) && !char.IsAsciiDigit(cell[i])) return false;
        }

        return !IsTrailer(cell);
    }

    private static bool IsTrailer(ReadOnlySpan<char> label)
    {
        foreach (var trailer in TrailerLabels)
        {
            if (label.Equals(trailer, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    private static string Truncate(ReadOnlySpan<char> s) => s.Length > 40 ? string.Concat(s[..40], "…") : s.ToString();
}

/// <summary>Which reader finds the cells of the page's tables (<see cref="FarsideHtmlParser.Parse(string, FarsideTableReader)"/>).</summary>
internal enum FarsideTableReader
{
    /// <summary>The scanner, else AngleSharp (what <see cref="FarsideHtmlParser.Parse(string)"/> does).</summary>
    Auto,

    /// <summary>AngleSharp's DOM only.</summary>
    AngleSharp,

    /// <summary>The scanner only; no result where it declines.</summary>
    ScannerOnly,
}

/// <summary>Recognises Cloudflare's challenge/interstitial pages.</summary>
public static class FarsideChallenge
{
    private static readonly string[] Markers =
    [
        "Just a moment", "cf-chl", "Enable JavaScript and cookies", "challenge-platform", "cf_chl_opt", "Attention Required! | Cloudflare",
    ];

    /// <summary>All markers in one pass (as <c>Markers.Any(m => body.Contains(m, OrdinalIgnoreCase))</c>, which it replaces).</summary>
    private static readonly SearchValues<string> MarkerValues = SearchValues.Create(Markers, StringComparison.OrdinalIgnoreCase);

    public static bool IsChallenge(string body) => body.AsSpan().ContainsAny(MarkerValues);
}
