using System.Globalization;
using System.Text;
using Tapewatch.Core.Flows;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// The scanner (<c>FarsideTableScanner</c>) against the parser as it was (<see cref="ReferenceFarsideHtmlParser"/>,
/// AngleSharp's DOM): the same rows, values, warnings and errors on each page — the pages Farside serves (where the
/// scanner must read the page itself, not hand it to AngleSharp) and markup it declines (where AngleSharp reads it).
/// Mutated pages: <c>Fuzz/FarsideScannerFuzzTests</c>.
/// </summary>
public sealed class FarsideScannerDifferentialTests
{
    private static readonly string Quirks = FlowsFixtures.Read("farside_quirks.html");

    /// <summary>The quirks fixture's table inside a page shaped like a real WordPress page: head, scripts, styles, comments, navigation, noscript iframe, footer.</summary>
    public static string FullPage(string table) =>
        "<!DOCTYPE html>\r\n<html lang=\"en-GB\">\r\n<head>\r\n<meta charset=\"UTF-8\">\r\n<meta name=viewport content='width=device-width, initial-scale=1'>\r\n"
        + "<title>Bitcoin ETF Flow &#8211; Farside Investors</title>\r\n<link rel='stylesheet' href='/wp-content/themes/x/style.css?ver=6.5' type='text/css' media='all' />\r\n"
        + "<style id=\"inline-css\">td > span.redFont { color: red } /* </td> <table> */ a[href^='<'] {}</style>\r\n"
        + "<script>var t = \"<table class='etf'><tr><td>01 Jan 2026</td></tr>\"; if (1 < 2 && 3 > 2) { document.write('</scr' + 'ipt>'); }</script>\r\n"
        + "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"name\":\"</div></table>\"}</script>\r\n"
        + "<!--[if lt IE 9]><script src=\"html5.js\"></script><![endif]-->\r\n</head>\r\n"
        + "<body class=\"page-template-default page page-id-12\">\r\n<noscript><iframe src=\"https://www.googletagmanager.com/ns.html?id=GTM-X\" height=\"0\" width=\"0\" style=\"display:none;visibility:hidden\"></iframe></noscript>\r\n"
        + "<div id=\"page\" class=\"site\"><header class=site-header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/btc/\">BTC &amp; ETH</a><li>Unclosed item</ul></nav></header>\r\n"
        + "<div class=\"entry-content\"><h1>Bitcoin ETF Flow (US$m)</h1><p>Data &copy; Farside <b>Investors<br>Note: <i>late funds</i></b></p><p>Another paragraph\r\n"
        + "<form action=\"/search\"><input type=text name=q><textarea name=t><table></textarea></form>\r\n"
        + table
        + "\r\n<p>Source: issuers. <!-- </table> --> <? php-ish ?> <!bogus> </ bogus> </></p></div></div>\r\n"
        + "<footer><p>&copy; 2026</footer><script>window.dataLayer = window.dataLayer || []; var s = '</div>';</script></body></html>\r\n";

    /// <summary>The table element of the quirks fixture (from &lt;table to &lt;/table&gt;).</summary>
    private static string QuirksTable()
    {
        var start = Quirks.IndexOf("<table", StringComparison.Ordinal);
        var end = Quirks.IndexOf("</table>", StringComparison.Ordinal) + "</table>".Length;
        return Quirks[start..end];
    }

    private static Dictionary<string, string> ReadByTheScannerPages() => new(StringComparer.Ordinal)
    {
        { "quirks fixture", Quirks },
        { "real page 2026-07-23", File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_2026-07-23_trimmed.html")) },
        { "generated all-data page, 230 rows", FarsideMarkup.AllDataPage(230) },
        { "generated all-data page, 700 rows", FarsideMarkup.AllDataPage(700) },
        { "all-data page of the real CSV in Farside's markup, 579 rows", FarsideMarkup.FromFlowsCsv(File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"))) },
        { "unrecognised fixture", FlowsFixtures.Read("farside_unrecognised.html") },
        { "no-total fixture", FlowsFixtures.Read("farside_no_total.html") },
        { "no dated rows", "<table class=etf><thead><tr><th></th><th>IBIT</th><th>FBTC</th><th>Total</th></tr></thead><tbody></tbody></table>" },
        { "in a real-looking page", FullPage(QuirksTable()) },
        { "CRLF line ends", Quirks.ReplaceLineEndings("\r\n") },
        { "upper-case tags and attributes", Quirks.Replace("<td", "<TD", StringComparison.Ordinal).Replace("</td>", "</Td >", StringComparison.Ordinal).Replace("class=\"", "CLASS=\"", StringComparison.Ordinal).Replace("<TABLE", "<table", StringComparison.Ordinal) },
        { "quoting: single, none, spaces around =", Quirks.Replace("class=\"tabletext\"", "class = 'tabletext'", StringComparison.Ordinal).Replace("align=\"right\"", "align=right", StringComparison.Ordinal).Replace("<table class=\"etf\">", "<table data-x=\"a>b\" class=etf id='t'>", StringComparison.Ordinal) },
        { "implied end tags and tbody", Quirks.Replace("</td>", "", StringComparison.Ordinal).Replace("</tr>", "", StringComparison.Ordinal).Replace("<tbody>", "", StringComparison.Ordinal).Replace("</tbody>", "", StringComparison.Ordinal) },
        { "entities in cells", Quirks.Replace(">1,205.2<", ">&nbsp;1,2&#48;5.2&#x20;<", StringComparison.Ordinal).Replace(">310.4<", "> &#51;10.4&nbsp;&nbsp;<", StringComparison.Ordinal).Replace(">-<", ">&#x2D;<", StringComparison.Ordinal).Replace(">Fee<", ">Fee &amp; &lt;costs&gt; &quot;x&quot; &apos;y&apos; & more<", StringComparison.Ordinal) },
        { "comments everywhere", Quirks.Replace("<tr>", "<!-- row --><tr><!---->", StringComparison.Ordinal).Replace("<td>", "<td><!--> <!---> <!-- a -- b --!> ", StringComparison.Ordinal) },
        { "colspan", Quirks.Replace("<th><span class=\"tabletext\">Fee</span></th>", "<th colspan=\"2\">Fee</th>", StringComparison.Ordinal).Replace("<th><span class=\"tabletext\">                       </span></th>", "<th colspan=0></th>", StringComparison.Ordinal) },
        { "colspan in a data row", Quirks.Replace("<td><span class=\"tabletext\">10 Feb 2026</span></td>", "<td colspan=' 2 '><span class=\"tabletext\">10 Feb 2026</span></td>", StringComparison.Ordinal) },
        { "th rows in tbody, a tfoot first", Quirks.Replace("<tbody>", "<tfoot><tr><td>24 Feb 2026</td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td><td>6</td></tr></tfoot><tbody><tr><th>x</th><th>IBIT</th></tr>", StringComparison.Ordinal) },
        { "a duplicated date", Quirks.Replace("<tr> \n                <td><span class=\"tabletext\">10 Feb 2026", "<tr><td>09 Feb 2026</td></tr><tr> \n                <td><span class=\"tabletext\">10 Feb 2026", StringComparison.Ordinal) },
        { "a second class attribute is ignored", Quirks.Replace("<table class=\"etf\">", "<table class=\"wide\" class=\"etf\">", StringComparison.Ordinal) },
        { "class list", Quirks.Replace("<table class=\"etf\">", "<table class=\"\tbig etf\nwide\">", StringComparison.Ordinal) },
        { "another table first", "<table><tr><td>a</td></tr></table>" + Quirks },
        { "inline elements in cells", Quirks.Replace("<span class=\"tabletext\">88.8</span>", "<a href=x><b>8</b><i>8</i>.<strong>8</strong></a><br/><img src=x>", StringComparison.Ordinal) },
        { "a literal < in a cell", Quirks.Replace(">Fee<", ">Fee < 1 <= 2 </ <<", StringComparison.Ordinal) },
        { "self-closing non-void", Quirks.Replace("<span class=\"tabletext\">88.8</span>", "<span/>88.8</span>", StringComparison.Ordinal) },
        { "a malformed cell", Quirks.Replace(">310.4<", ">31O.4<", StringComparison.Ordinal) },
    };

    private static Dictionary<string, string> DeclinedByTheScannerPages() => new(StringComparer.Ordinal)
    {
        { "a table in a cell", Quirks.Replace(">88.8<", "><table><tr><td>1</td></tr></table>88.8<", StringComparison.Ordinal) },
        { "text directly in a row (foster parenting)", Quirks.Replace("<tr> \n", "<tr> x\n", StringComparison.Ordinal) },
        { "select", "<select><option>" + Quirks },
        { "svg", "<svg><style>a</style></svg>" + Quirks },
        { "caption", Quirks.Replace("<thead>", "<caption>Flows</caption><thead>", StringComparison.Ordinal) },
        { "another named reference", Quirks.Replace(">88.8<", ">88.8&copy;<", StringComparison.Ordinal) },
        { "a script holding <!--", "<script><!-- document.write('<script>x</script>') --></script>" + Quirks },
        { "a script in a cell", Quirks.Replace(">88.8<", "><script>1</script>88.8<", StringComparison.Ordinal) },
        { "misnested inline elements", Quirks.Replace("<span class=\"tabletext\">88.8</span>", "<b><i>88.8</b></i>", StringComparison.Ordinal) },
        { "a stray end tag in a row", Quirks.Replace("</tr>", "</td></tr>", StringComparison.Ordinal) },
        { "a template", "<template>" + Quirks + "</template>" },
        { "truncated (the table is left open: AngleSharp says truncated)", Quirks[..Quirks.IndexOf("</tbody>", StringComparison.Ordinal)] },
        { "a table left open", Quirks.Replace("</table>", "", StringComparison.Ordinal) + "<p>x</table" },
        { "nesting beyond 128 outside the tables", string.Concat(Enumerable.Repeat("<div>", 130)) + Quirks },
        { "a NUL character", Quirks.Replace(">Fee<", ">Fee\0<", StringComparison.Ordinal) },
    };

    // The theories take the page's name only: xunit serializes theory data into every test case at discovery, and some
    // pages are hundreds of KB (discovery is paid by every test run, and by every mutant of a mutation run).
    private static readonly Lazy<Dictionary<string, string>> WithinSubset = new(ReadByTheScannerPages);
    private static readonly Lazy<Dictionary<string, string>> OutsideSubset = new(DeclinedByTheScannerPages);

    public static TheoryData<string> ReadByTheScanner => new(ReadByTheScannerPages().Keys);

    public static TheoryData<string> DeclinedByTheScanner => new(DeclinedByTheScannerPages().Keys);

    [Theory]
    [MemberData(nameof(ReadByTheScanner))]
    public void Pages_within_the_subset_are_read_by_the_scanner_as_AngleSharp_reads_them(string name)
    {
        var html = WithinSubset.Value[name];
        var scanned = FarsideHtmlParser.Parse(html, FarsideTableReader.ScannerOnly);
        Assert.True(scanned is not null, $"{name}: the scanner declined the page");
        Assert.Equal(Describe(ReferenceFarsideHtmlParser.Parse(html)), Describe(scanned));
        Assert.Equal(Describe(ReferenceFarsideHtmlParser.Parse(html)), Describe(FarsideHtmlParser.Parse(html)));
    }

    [Theory]
    [MemberData(nameof(DeclinedByTheScanner))]
    public void Pages_outside_the_subset_are_read_by_AngleSharp(string name)
    {
        var html = OutsideSubset.Value[name];
        Assert.True(FarsideHtmlParser.Parse(html, FarsideTableReader.ScannerOnly) is null, $"{name}: the scanner read a page it should decline");
        Assert.Equal(Describe(ReferenceFarsideHtmlParser.Parse(html)), Describe(FarsideHtmlParser.Parse(html)));
    }

    [Fact]
    public void The_AngleSharp_reader_equals_the_reference_too()
    {
        foreach (var html in new[] { Quirks, FullPage(QuirksTable()), FarsideMarkup.AllDataPage(50) })
        {
            Assert.Equal(Describe(ReferenceFarsideHtmlParser.Parse(html)), Describe(FarsideHtmlParser.Parse(html, FarsideTableReader.AngleSharp)));
        }
    }

    [Theory]
    [InlineData("<title>Just a moment...</title>")]
    [InlineData("JUST A MOMENT")]
    [InlineData("<script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script>")]
    [InlineData("window._cf_chl_opt = {}")]
    [InlineData("<title>Attention Required! | Cloudflare</title>")]
    [InlineData("Enable JavaScript and cookies to continue")]
    [InlineData("enable javaſcript and cookieſ")] // ſ (U+017F) upper-cases to S: ordinal ignore-case matches it
    [InlineData("Just a moment\u0131")]
    [InlineData("Just a momen")]
    [InlineData("cf_chl")]
    [InlineData("")]
    public void The_challenge_check_in_one_pass_finds_what_one_search_per_marker_found(string body)
    {
        string[] markers = ["Just a moment", "cf-chl", "Enable JavaScript and cookies", "challenge-platform", "cf_chl_opt", "Attention Required! | Cloudflare"];
        Assert.Equal(markers.Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)), FarsideChallenge.IsChallenge(body));
    }

    /// <summary>Everything a result says, values with their scale ("1.0" ≠ "1.00"), fund columns in order.</summary>
    public static string Describe(EtfFlowParseResult? result)
    {
        if (result is null) return "(declined)";
        var sb = new StringBuilder();
        sb.Append("error: ").Append(result.Error ?? "none").Append('\n');
        foreach (var w in result.Warnings) sb.Append("warning: ").Append(w).Append('\n');
        foreach (var row in result.Rows)
        {
            sb.Append(row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var (fund, value) in row.Funds) sb.Append(' ').Append(fund).Append('=').Append(Show(value));
            sb.Append(" Total=").Append(Show(row.TotalUsdM)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Show(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
