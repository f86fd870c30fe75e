using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Tapewatch.Core.Flows;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// The Farside parser as it was before the scanner (AngleSharp's DOM for every page), kept verbatim as the reference that
/// <see cref="FarsideHtmlParser"/> must equal on every input (<c>FarsideScannerDifferentialTests</c>, <c>FarsideScannerFuzzTests</c>).
/// Original summary: parses Farside's flow table (<c>table.etf</c>, on /btc/ and the all-data page). Header-driven: the
/// ticker row of the header names the fund columns (funds come and go) and the header cell "Total" the
/// total column, whatever rows (issuer logos, fees) surround them. Cells: "(12.3)" is −12.3 (shown in
/// span.redFont), thousands separators are allowed, "-" is "not reported" (null, never zero). Trailer
/// rows (Total/Average/Maximum/Minimum) are skipped; a row with every fund "-" (holiday, or the green
/// pending "today" row) is kept as a non-session row (<see cref="EtfFlowRow.IsSession"/> is false).
/// </summary>
public static partial class ReferenceFarsideHtmlParser
{
    private static readonly string[] DateFormats = ["dd MMM yyyy", "d MMM yyyy", "dd MMMM yyyy", "d MMMM yyyy", "yyyy-MM-dd"];
    private static readonly HashSet<string> TrailerLabels = new(StringComparer.OrdinalIgnoreCase) { "Total", "Average", "Maximum", "Minimum" };

    public static EtfFlowParseResult Parse(string html)
    {
        if (string.IsNullOrWhiteSpace(html)) return new EtfFlowParseResult { Error = "The page is empty." };
        if (IsChallenge(html))
        {
            return new EtfFlowParseResult { Error = "The page is a Cloudflare challenge (\"Just a moment…\"), not the flows table." };
        }

        var document = new HtmlParser().ParseDocument(html);
        var tables = document.QuerySelectorAll("table").OfType<IHtmlTableElement>().ToList();
        if (tables.Count == 0) return new EtfFlowParseResult { Error = "The page has no <table> (expected Farside's flows table, class \"etf\")." };
        if (html.IndexOf("</table", StringComparison.OrdinalIgnoreCase) < 0)
        {
            // A page cut off in transit still parses (HTML is forgiving), but its last cell may be a number cut in half
            // ("1,205.2" → "1,2"): read nothing from a table that is not closed.
            return new EtfFlowParseResult { Error = "The page is truncated: the flows table is not closed (no </table>); nothing is read from a partial page." };
        }


        // Prefer table.etf; fall back to any table that has a ticker header and a Total column.
        var candidates = tables.Where(t => t.ClassList.Contains("etf")).Concat(tables.Where(t => !t.ClassList.Contains("etf"))).ToList();
        EtfFlowParseResult? firstFailure = null;
        foreach (var table in candidates)
        {
            var result = ParseTable(table);
            if (result.Succeeded) return result;
            firstFailure ??= result;
        }

        return firstFailure!;
    }

    private static EtfFlowParseResult ParseTable(IHtmlTableElement table)
    {
        var rows = table.Rows.ToList();
        var headerRows = rows.Where(IsHeaderRow).ToList();
        if (headerRows.Count == 0)
        {
            return new EtfFlowParseResult { Error = "The flows table has no header rows (<thead> or <th> cells with the fund tickers)." };
        }

        var grids = headerRows.Select(ExpandCells).ToList();
        var tickerRow = grids
            .Select(cells => (Cells: cells, Count: cells.Skip(1).Count(c => TickerPattern().IsMatch(c) && !TrailerLabels.Contains(c))))
            .Where(x => x.Count >= 2)
            .OrderByDescending(x => x.Count)
            .Select(x => x.Cells)
            .FirstOrDefault();
        if (tickerRow is null)
        {
            return new EtfFlowParseResult { Error = "The flows table header has no row of fund tickers (e.g. IBIT, FBTC)." };
        }

        var totalIndex = -1;
        foreach (var cells in grids)
        {
            totalIndex = cells.FindIndex(c => c.Equals("Total", StringComparison.OrdinalIgnoreCase));
            if (totalIndex > 0) break;
        }

        if (totalIndex <= 0) return new EtfFlowParseResult { Error = "The flows table header has no 'Total' column." };

        var funds = new List<(int Index, string Ticker)>();
        for (var i = 1; i < tickerRow.Count; i++)
        {
            if (i == totalIndex) continue;
            var ticker = tickerRow[i];
            if (TickerPattern().IsMatch(ticker) && !TrailerLabels.Contains(ticker)) funds.Add((i, ticker));
        }

        var duplicate = funds.GroupBy(f => f.Ticker, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return new EtfFlowParseResult { Error = $"The flows table header repeats fund '{duplicate.Key}'." };

        var parsed = new List<EtfFlowRow>();
        var warnings = new List<string>();
        var seen = new HashSet<DateOnly>();
        var width = Math.Max(totalIndex, funds.Max(f => f.Index)) + 1;
        foreach (var row in rows.Where(r => !IsHeaderRow(r)))
        {
            var cells = ExpandCells(row);
            if (cells.Count == 0 || cells.All(c => c.Length == 0)) continue;
            var label = cells[0];
            if (TrailerLabels.Contains(label)) continue;
            if (!DateOnly.TryParseExact(label, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                warnings.Add($"row '{Truncate(label)}': not a date; skipped");
                continue;
            }

            if (cells.Count < width)
            {
                warnings.Add($"{date:yyyy-MM-dd}: {cells.Count} cells, the header needs {width}; row skipped");
                continue;
            }

            if (!seen.Add(date))
            {
                warnings.Add($"{date:yyyy-MM-dd}: appears twice; later row skipped");
                continue;
            }

            var values = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            string? bad = null;
            foreach (var (index, ticker) in funds)
            {
                if (!TryParseCell(cells[index], out var value))
                {
                    bad = $"{date:yyyy-MM-dd}: {ticker} value '{Truncate(cells[index])}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
                    break;
                }

                values[ticker] = value;
            }

            decimal? total = null;
            if (bad is null && !TryParseCell(cells[totalIndex], out total))
            {
                bad = $"{date:yyyy-MM-dd}: Total '{Truncate(cells[totalIndex])}' is not a number (or beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m); row skipped";
            }

            if (bad is not null)
            {
                warnings.Add(bad);
                continue;
            }

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

        return new EtfFlowParseResult { Rows = parsed.OrderBy(r => r.Date).ToList(), Warnings = warnings };
    }

    /// <summary>"-"/blank = not reported; "(1,113.7)" = −1113.7; "1,205.2" = 1205.2; beyond <see cref="EtfFlowRow.MaxAbsUsdM"/> is not usable.</summary>
    public static bool TryParseCell(string raw, out decimal? value)
    {
        value = null;
        var text = raw.Replace('\u00A0', ' ').Trim();
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

    private static bool IsHeaderRow(IHtmlTableRowElement row) =>
        row.ParentElement is IHtmlTableSectionElement { LocalName: "thead" } || (row.Cells.Length > 0 && row.Cells.All(c => c.LocalName == "th"));

    /// <summary>Cell texts with colspan expanded, whitespace collapsed.</summary>
    private static List<string> ExpandCells(IHtmlTableRowElement row)
    {
        var cells = new List<string>();
        foreach (var cell in row.Cells)
        {
            var text = Whitespace().Replace(cell.TextContent.Replace('\u00A0', ' '), " ").Trim();
            var span = Math.Clamp(cell.ColumnSpan, 1, 50);
            cells.Add(text);
            for (var i = 1; i < span; i++) cells.Add("");
        }

        return cells;
    }

    /// <summary><c>FarsideChallenge.IsChallenge</c> as it was (one search per marker).</summary>
    private static bool IsChallenge(string body) =>
        new[] { "Just a moment", "cf-chl", "Enable JavaScript and cookies", "challenge-platform", "cf_chl_opt", "Attention Required! | Cloudflare" }
            .Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^[A-Z][A-Z0-9]{1,5}$")]
    private static partial Regex TickerPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
