using Tapewatch.Core.Flows;
using static Tapewatch.Tests.Flows.FarsideTableMarkup;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// What <see cref="FarsideHtmlParser"/> makes of a whole page: the exact reason for a page that is empty, a challenge,
/// without a table or cut off, and which table it reads (table.etf first, else any table with a ticker row and Total;
/// when none can be read, the first table's reason in that order).
/// </summary>
public sealed class FarsidePageChoiceTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t \r\n")]
    public void An_empty_or_blank_page_is_rejected_as_empty(string html)
    {
        var result = FarsideHtmlParser.Parse(html);

        Assert.Equal("The page is empty.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_challenge_page_is_rejected_as_a_challenge_even_with_a_table()
    {
        var result = FarsideHtmlParser.Parse("<html><head><title>Just a moment...</title></head><body>" + Etf("10 Feb 2026|1.0|2.0|3.0") + "</body></html>");

        Assert.Equal("The page is a Cloudflare challenge (\"Just a moment…\"), not the flows table.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("<title>Just a moment...</title>")]
    [InlineData("<div id=\"cf-chl-widget\"></div>")]
    [InlineData("<noscript>Enable JavaScript and cookies to continue</noscript>")]
    [InlineData("<script src=\"/cdn-cgi/challenge-platform/scripts/jsd/main.js\"></script>")]
    [InlineData("<script>window._cf_chl_opt={cvId:'3'}</script>")]
    [InlineData("<title>Attention Required! | Cloudflare</title>")]
    [InlineData("<title>JUST A MOMENT...</title>")]
    public void Each_Cloudflare_marker_makes_a_page_a_challenge(string marker) => Assert.True(FarsideChallenge.IsChallenge("<html>" + marker + "</html>"));

    [Theory]
    [InlineData("<html><body><p>Bitcoin ETF Flow</p></body></html>")]
    [InlineData("Just a minute")]
    [InlineData("cf chl")]
    public void A_page_without_a_marker_is_not_a_challenge(string body) => Assert.False(FarsideChallenge.IsChallenge(body));

    [Fact]
    public void A_page_without_a_table_is_rejected_with_its_reason()
    {
        var result = FarsideHtmlParser.Parse("<html><body><p>No data today</p></body></html>");

        Assert.Equal("The page has no <table> (expected Farside's flows table, class \"etf\").", result.Error);
    }

    [Fact]
    public void A_page_cut_off_inside_the_table_is_rejected_as_truncated()
    {
        var full = Etf("10 Feb 2026|1.0|2.0|1,205.2");
        var cut = full[..full.IndexOf("205.2", StringComparison.Ordinal)];

        var result = FarsideHtmlParser.Parse(cut);

        Assert.Equal("The page is truncated: the flows table is not closed (no </table>); nothing is read from a partial page.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void An_upper_case_closing_TABLE_tag_closes_the_table()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0").Replace("</table>", "</TABLE>", StringComparison.Ordinal));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3.0m, Assert.Single(result.Rows).TotalUsdM);
    }

    [Fact]
    public void A_stray_closing_table_tag_at_the_very_start_is_not_taken_for_the_table_being_closed_or_not()
    {
        var result = FarsideHtmlParser.Parse("</table>" + Etf("10 Feb 2026|1.0|2.0|3.0"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3.0m, Assert.Single(result.Rows).TotalUsdM);
    }

    [Fact]
    public void The_etf_table_is_read_even_when_another_readable_table_comes_first()
    {
        var html = Table(false, [Header], "10 Feb 2026|1.0|2.0|3.0") + Table(true, [Header], "11 Feb 2026|5.0|6.0|11.0");

        var result = FarsideHtmlParser.Parse(html);

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal((new DateOnly(2026, 2, 11), 11.0m), (row.Date, row.TotalUsdM));
    }

    [Fact]
    public void A_page_whose_only_table_has_no_etf_class_is_still_read()
    {
        var result = FarsideHtmlParser.Parse(Table(false, [Header], "10 Feb 2026|1.0|2.0|3.0"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3.0m, Assert.Single(result.Rows).TotalUsdM);
    }

    [Fact]
    public void When_the_etf_table_cannot_be_read_another_table_with_tickers_and_Total_is()
    {
        var html = Table(true, ["|IBIT|FBTC|Sum"], "10 Feb 2026|1.0|2.0|3.0") + Table(false, [Header], "11 Feb 2026|5.0|6.0|11.0");

        var result = FarsideHtmlParser.Parse(html);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new DateOnly(2026, 2, 11), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void Of_two_etf_tables_the_first_readable_one_is_read()
    {
        var html = Table(true, ["|IBIT|Total"], "10 Feb 2026|1.0|1.0")
            + Table(true, [Header], "11 Feb 2026|5.0|6.0|11.0")
            + Table(true, [Header], "12 Feb 2026|7.0|8.0|15.0");

        var result = FarsideHtmlParser.Parse(html);

        Assert.Equal(new DateOnly(2026, 2, 11), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void When_no_table_can_be_read_the_reason_is_the_etf_tables_even_if_another_table_comes_first()
    {
        var html = Table(false, ["|IBIT|Total"], "10 Feb 2026|1.0|1.0") + Table(true, ["|IBIT|FBTC|Sum"], "11 Feb 2026|1.0|2.0|3.0");

        var result = FarsideHtmlParser.Parse(html);

        Assert.Equal("The flows table header has no 'Total' column.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void When_no_table_can_be_read_the_reason_is_the_first_tables_not_the_last()
    {
        var html = Table(true, ["|IBIT|FBTC|Sum"], "10 Feb 2026|1.0|2.0|3.0")
            + Table(true, ["|IBIT|Total"], "11 Feb 2026|1.0|1.0")
            + Table(false, ["|IBIT|FBTC|IBIT|Total"], "12 Feb 2026|1.0|2.0|3.0|6.0");

        var result = FarsideHtmlParser.Parse(html);

        Assert.Equal("The flows table header has no 'Total' column.", result.Error);
    }
}
