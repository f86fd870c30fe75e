namespace Tapewatch.Tests.Flows;

/// <summary>Minimal Farside-shaped tables for the parser tests: rows written as "cell|cell|…".</summary>
internal static class FarsideTableMarkup
{
    /// <summary>The usual header: a label column, IBIT, FBTC and Total.</summary>
    public const string Header = "|IBIT|FBTC|Total";

    /// <summary>A table: each header row in &lt;thead&gt; as &lt;th&gt; cells, each body row in &lt;tbody&gt; as &lt;td&gt; cells.</summary>
    public static string Table(bool etf, string[] headerRows, params string[] bodyRows) =>
        (etf ? "<table class=\"etf\">" : "<table>")
        + "<thead>" + string.Concat(headerRows.Select(r => Row(r, "th"))) + "</thead>"
        + "<tbody>" + string.Concat(bodyRows.Select(r => Row(r, "td"))) + "</tbody></table>";

    /// <summary>A table.etf with the usual header.</summary>
    public static string Etf(params string[] bodyRows) => Table(true, [Header], bodyRows);

    /// <summary>A table.etf with the given header rows.</summary>
    public static string EtfWithHeader(string[] headerRows, params string[] bodyRows) => Table(true, headerRows, bodyRows);

    private static string Row(string cells, string tag) =>
        "<tr>" + string.Concat(cells.Split('|').Select(c => "<" + tag + ">" + c + "</" + tag + ">")) + "</tr>";
}
