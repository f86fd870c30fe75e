using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Tapewatch.Tests.Fuzz;

/// <summary>A returned row: its key (the date; for CFTC date|code) and each value with the column it must come from.</summary>
public sealed record RowClaim(string Key, IReadOnlyList<(string Column, decimal? Value)> Cells);

/// <summary>A table read independently of the parser under test: header rows (column names) and keyed data rows.</summary>
public sealed record Grid(IReadOnlyList<IReadOnlyList<string>> Headers, IReadOnlyList<(string? Key, IReadOnlyList<string> Cells)> Rows);

/// <summary>
/// Checks that each returned value equals the cell at its row (key) and its column (the header naming the fund, or
/// Total), all values of one returned row coming from one row of one table. Cells are read as tables write money:
/// "1,205.2", "(44.5)" = −44.5, "-" or blank = not reported.
/// </summary>
public static partial class TableOracle
{
    private static readonly string[] FarsideDateFormats = ["dd MMM yyyy", "d MMM yyyy", "dd MMMM yyyy", "d MMMM yyyy", "yyyy-MM-dd"];

    public static FuzzVerdict Check(IReadOnlyList<Grid> grids, IReadOnlyList<RowClaim> claims)
    {
        var violations = new List<string>();
        foreach (var claim in claims)
        {
            if (!grids.Any(g => Holds(g, claim)))
            {
                violations.Add($"no row '{claim.Key}' has {string.Join(", ", claim.Cells.Select(c => $"{c.Column} = {c.Value?.ToString(CultureInfo.InvariantCulture) ?? "not reported"}"))}");
            }
        }

        return FuzzVerdict.Parsed(claims.Sum(c => c.Cells.Count), violations);
    }

    private static bool Holds(Grid grid, RowClaim claim)
    {
        var columns = claim.Cells.Select(c => ColumnsNamed(grid, c.Column)).ToList();
        return grid.Rows.Where(r => r.Key == claim.Key).Any(row =>
            claim.Cells.Select((cell, k) => columns[k].Any(i => i < row.Cells.Count && Money(row.Cells[i]) is { Readable: true } m && m.Value == cell.Value)).All(ok => ok));
    }

    private static List<int> ColumnsNamed(Grid grid, string name) =>
        grid.Headers.SelectMany(h => h.Select((text, i) => (text, i)).Where(x => string.Equals(x.text, name, StringComparison.OrdinalIgnoreCase)).Select(x => x.i)).Distinct().ToList();

    /// <summary>A money cell: blank or a dash is "not reported" (readable, null); "(12.3)" is −12.3; commas group thousands.</summary>
    public static (bool Readable, decimal? Value) Money(string raw)
    {
        var text = raw.Replace('\u00A0', ' ').Trim().Trim('"').Trim();
        if (text is "" or "-" or "–" or "—") return (true, null);
        var negative = text.Length >= 2 && text[0] == '(' && text[^1] == ')';
        if (negative) text = text[1..^1].Trim();
        if (!decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var d)) return (false, null);
        if (negative && d < 0) return (false, null);
        return (true, negative ? -d : d);
    }

    /// <summary>
    /// Every table of an HTML page (AngleSharp): header rows are those in <c>&lt;thead&gt;</c> or made only of
    /// <c>&lt;th&gt;</c>; a row's key is its first cell read as a date; colspans are expanded (up to 50, as Farside's
    /// parser documents).
    /// </summary>
    public static IReadOnlyList<Grid> FromHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var grids = new List<Grid>();
        foreach (var table in document.QuerySelectorAll("table").OfType<IHtmlTableElement>())
        {
            var headers = new List<IReadOnlyList<string>>();
            var rows = new List<(string?, IReadOnlyList<string>)>();
            foreach (var row in table.Rows)
            {
                var cells = new List<string>();
                foreach (var cell in row.Cells)
                {
                    cells.Add(Whitespace().Replace(cell.TextContent.Replace('\u00A0', ' '), " ").Trim());
                    for (var k = 1; k < Math.Clamp(cell.ColumnSpan, 1, 50); k++) cells.Add("");
                }

                var isHeader = row.ParentElement is IHtmlTableSectionElement { LocalName: "thead" } || (row.Cells.Length > 0 && row.Cells.All(c => c.LocalName == "th"));
                if (isHeader) headers.Add(cells);
                else rows.Add((cells.Count > 0 && DateOnly.TryParseExact(cells[0], FarsideDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Key(d) : null, cells));
            }

            grids.Add(new Grid(headers, rows));
        }

        return grids;
    }

    /// <summary>
    /// A flows CSV, split on the commas outside quotes of each line (the reader skips a row running over lines); the
    /// header is the first line, a row's key its first cell (yyyy-MM-dd).
    /// </summary>
    public static IReadOnlyList<Grid> FromFlowsCsv(string csv)
    {
        var lines = Lines(csv);
        if (lines.Count == 0) return [];
        var header = SplitQuoted(lines[0].Trim().TrimStart('\uFEFF')).Select(c => c.Trim()).ToList();
        var rows = lines.Skip(1).Select(SplitQuoted).Select(cells => ((string?)(DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Key(d) : null), (IReadOnlyList<string>)cells)).ToList();
        return [new Grid([header], rows)];
    }

    /// <summary>The CFTC CSV (quoted cells, each line split by <see cref="SplitQuoted"/>); a row's key is "date|code" from the named columns.</summary>
    public static IReadOnlyList<Grid> FromCftcCsv(string csv, string dateColumn, string codeColumn)
    {
        var lines = Lines(csv);
        if (lines.Count == 0) return [];
        var header = SplitQuoted(lines[0]).Select(c => c.Trim()).ToList();
        var iDate = header.FindIndex(c => string.Equals(c, dateColumn, StringComparison.OrdinalIgnoreCase));
        var iCode = header.FindIndex(c => string.Equals(c, codeColumn, StringComparison.OrdinalIgnoreCase));
        var rows = lines.Skip(1).Select(SplitQuoted)
            .Select(cells => ((string?)(iDate >= 0 && iCode >= 0 && cells.Count > Math.Max(iDate, iCode) ? $"{cells[iDate].Trim()}|{cells[iCode].Trim()}" : null), (IReadOnlyList<string>)cells))
            .ToList();
        return [new Grid([header], rows)];
    }

    public static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    /// <summary>
    /// The cells of one line, split on the commas outside quotes (quotes pair up wherever they stand), each unquoted as
    /// the reader (Sep) unquotes it.
    /// </summary>
    private static List<string> SplitQuoted(string line)
    {
        var cells = new List<string>();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (i == line.Length || (line[i] == ',' && !inQuotes))
            {
                cells.Add(Unquoted(line[start..i]));
                start = i + 1;
            }
        }

        return cells;
    }

    /// <summary>
    /// A cell starting with a quote (spaces aside) without its quotes, as Sep unescapes them: the first opens, and of the
    /// later ones every second closes and is dropped while the others stand for a quote, so <c>"a""b"</c> is <c>a"b</c>
    /// (and a malformed <c>""x"y"</c> is <c>x"y</c>). In any other cell quotes are text.
    /// </summary>
    private static string Unquoted(string cell)
    {
        var trimmed = cell.Trim(' ');
        if (!trimmed.StartsWith('"')) return cell;
        var text = new StringBuilder();
        var quotes = 0;
        foreach (var c in trimmed)
        {
            if (c != '"') text.Append(c);
            else if (++quotes > 1 && quotes % 2 == 1) text.Append('"');
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
