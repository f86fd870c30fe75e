using System.Globalization;
using System.Text;

namespace Tapewatch.TestSupport;

/// <summary>
/// Writes a flows table in Farside's markup (<c>table.etf</c>, three header rows: issuer logos, tickers, fees; negatives
/// as <c>(1,113.7)</c> in <c>span.redFont</c>; <c>-</c> = not reported; the Total/Average/Maximum/Minimum trailer).
/// Our own generator (no Farside data): for fault, fuzz and benchmark inputs of any size.
/// </summary>
public static class FarsideMarkup
{
    public static readonly string[] DefaultFunds = ["IBIT", "FBTC", "BITB", "ARKB", "BTCO", "EZBC", "BRRR", "HODL", "BTCW", "MSBT", "GBTC", "BTC"];

    /// <summary>One row: the date and per-fund US$m (null = "-"); the Total column is the sum unless given.</summary>
    public sealed record Row(DateOnly Date, IReadOnlyList<decimal?> Funds, decimal? Total = null, bool Pending = false);

    public static string Page(IReadOnlyList<string> funds, IEnumerable<Row> rows)
    {
        var sb = new StringBuilder();
        sb.Append("<html><head><title>Bitcoin ETF Flow – Farside Investors</title></head><body>\n<!-- Tapewatch generated fixture in Farside's markup (not real data). -->\n<table class=\"etf\">\n<thead>\n\t<tr bgcolor=\"#eaeffa\">\n    <th><span class=\"tabletext\">                       </span></th>\n");
        foreach (var f in funds) sb.Append("\t<th><div align=\"center\"><a href=\"\" class=\"grow\"><img src=\"/images/etf/").Append(f.ToLowerInvariant()).Append(".jpg\" alt=\"").Append(f).Append("\" width=\"32\" height=\"15\"></a></div></th>\n");
        sb.Append("\t<th><div align=\"right\"><span class=\"tabletext\">      Total</span></div></th>\n</tr>\n<tr bgcolor=\"#eaeffa\">\n    <th><span class=\"tabletext\"></span></th>\n");
        foreach (var f in funds) sb.Append("\t<th><div align=\"right\"><span class=\"tabletext\">   ").Append(f).Append("</span></div></th>\n");
        sb.Append("\t<th><div align=\"right\"><span class=\"tabletext\"></span></div></th>\n</tr>\n<tr bgcolor=\"#eaeffa\">\n    <th><span class=\"tabletext\">Fee</span></th>\n");
        foreach (var _ in funds) sb.Append("\t<th><div align=\"right\"><span class=\"tabletext\">0.25%</span></div></th>\n");
        sb.Append("\t<th><div align=\"right\"><span class=\"tabletext\"></span></div></th>\n</tr>\n</thead>\n<tbody>\n");
        var list = rows.ToList();
        foreach (var row in list)
        {
            sb.Append(row.Pending ? "            <tr style=\"background-color: #99ff99 !important;\"> \n" : "            <tr> \n");
            sb.Append("                <td><span class=\"tabletext\">").Append(row.Date.ToString("dd MMM yyyy", CultureInfo.InvariantCulture)).Append("</span></td>\n                ");
            foreach (var v in row.Funds) Cell(sb, v);
            Cell(sb, row.Total ?? row.Funds.Sum(v => v ?? 0), always: true);
            sb.Append("            </tr>\n");
        }

        foreach (var label in new[] { "Total", "Average", "Maximum", "Minimum" })
        {
            sb.Append("<tr style=\"background-color: #eaeffa !important;\">\n    <td><span class=\"tabletext\">").Append(label).Append("</span></td>\n    ");
            for (var i = 0; i <= funds.Count; i++) Cell(sb, 0m, always: true);
            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Farside's text for a value: "1,205.2", "(44.5)", "-".</summary>
    public static string Text(decimal? value) => value switch
    {
        null => "-",
        < 0 => "(" + (-value.Value).ToString("#,##0.0", CultureInfo.InvariantCulture) + ")",
        _ => value.Value.ToString("#,##0.0", CultureInfo.InvariantCulture),
    };

    /// <summary>About <paramref name="sessions"/> weekday rows from <paramref name="start"/>, deterministic values (seeded), like the all-data page.</summary>
    public static string AllDataPage(int sessions, int seed = 7, DateOnly? start = null)
    {
        var random = new Random(seed);
        var funds = DefaultFunds;
        var rows = new List<Row>(sessions);
        var date = start ?? new DateOnly(2024, 1, 11);
        while (rows.Count < sessions)
        {
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                var values = funds.Select((_, i) => i >= 9 && rows.Count < sessions / 2 ? (decimal?)null : Math.Round((decimal)(random.NextDouble() * 600 - 250) / (i + 1), 1)).ToList();
                rows.Add(new Row(date, values));
            }

            date = date.AddDays(1);
        }

        return Page(funds, rows);
    }

    /// <summary>
    /// The rows of a flows CSV (<c>date,FUND…,Total</c>, blank = not reported; tests/data/farside's) in Farside's markup, oldest
    /// first as on the all-data page: real figures in the real markup. <paramref name="lastRows"/> keeps only the newest rows.
    /// </summary>
    public static string FromFlowsCsv(string csv, int? lastRows = null)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        var funds = header[1..^1];
        var rows = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            decimal? Value(string cell) => cell.Length == 0 ? null : decimal.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
            return new Row(DateOnly.ParseExact(cells[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), cells[1..^1].Select(Value).ToList(), Value(cells[^1]));
        }).ToList();
        return Page(funds, lastRows is { } n ? rows.TakeLast(n) : rows);
    }

    private static void Cell(StringBuilder sb, decimal? value, bool always = false)
    {
        var text = Text(value);
        var zero = value is null || value == 0;
        sb.Append(zero && !always ? "<td class=\"zero-flow\">" : "<td>").Append("<div align=\"right\"><span class=\"tabletext\">");
        if (value < 0) sb.Append("<span class=\"redFont\">").Append(text).Append("</span>");
        else sb.Append(text);
        sb.Append("</span></div></td>");
    }
}
