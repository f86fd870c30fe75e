using Tapewatch.Core.Flows;
using static Tapewatch.Tests.Flows.FarsideTableMarkup;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// How <see cref="FarsideHtmlParser"/> reads the header of the flows table: which header row names the funds (the one with
/// the most tickers, the first of equals), where the Total column is (the first header row with a "Total" cell past the
/// label column), what counts as a fund ticker, and the exact reason when the header cannot be read.
/// </summary>
public sealed class FarsideHeaderColumnsTests
{
    private static EtfFlowRow SingleRow(EtfFlowParseResult result)
    {
        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        return Assert.Single(result.Rows);
    }

    [Fact]
    public void The_header_row_with_the_most_tickers_names_the_funds_even_when_a_row_of_fewer_follows()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|FBTC|BITB|Total", "|AB|CD||"], "10 Feb 2026|1.0|2.0|3.0|6.0")));

        Assert.Equal(["IBIT", "FBTC", "BITB"], row.Funds.Keys);
        Assert.Equal([1.0m, 2.0m, 3.0m], row.Funds.Values);
        Assert.Equal(6.0m, row.TotalUsdM);
    }

    [Fact]
    public void The_header_row_with_the_most_tickers_names_the_funds_even_when_a_row_of_fewer_precedes_it()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|AB|CD||", "|IBIT|FBTC|BITB|Total"], "10 Feb 2026|1.0|2.0|3.0|6.0")));

        Assert.Equal(["IBIT", "FBTC", "BITB"], row.Funds.Keys);
    }

    [Fact]
    public void Of_two_header_rows_with_as_many_tickers_the_first_names_the_funds()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|AAAA|BBBB|", "|IBIT|FBTC|Total"], "10 Feb 2026|1.0|2.0|3.0")));

        Assert.Equal(["AAAA", "BBBB"], row.Funds.Keys);
        Assert.Equal((1.0m, 2.0m), (row.Funds["AAAA"], row.Funds["BBBB"]));
    }

    [Fact]
    public void Two_tickers_are_enough_for_a_ticker_row()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.5|(0.5)|1.0")));

        Assert.Equal(new DateOnly(2026, 2, 10), row.Date);
        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal((1.5m, -0.5m, 1.0m), (row.Funds["IBIT"], row.Funds["FBTC"], row.TotalUsdM));
    }

    [Fact]
    public void A_header_of_one_ticker_has_no_ticker_row()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|Total"], "10 Feb 2026|1.0|1.0"));

        Assert.Equal("The flows table header has no row of fund tickers (e.g. IBIT, FBTC).", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void An_upper_case_TOTAL_is_not_a_ticker_so_one_ticker_and_TOTAL_is_no_ticker_row()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|TOTAL"], "10 Feb 2026|1.0|1.0"));

        Assert.Equal("The flows table header has no row of fund tickers (e.g. IBIT, FBTC).", result.Error);
    }

    [Fact]
    public void An_upper_case_TOTAL_header_cell_is_the_total_column()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|FBTC|TOTAL"], "10 Feb 2026|1.0|2.0|3.0")));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal(3.0m, row.TotalUsdM);
    }

    [Fact]
    public void A_fund_ticker_is_two_to_six_capitals_or_digits_starting_with_a_capital_and_other_columns_are_not_read()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(
            ["|AB|ABCDEF|A|ABCDEFG|1BIT|B2X|Ibit|IB-T|Total"],
            "10 Feb 2026|1.0|2.0|x|x|x|6.0|x|x|9.0")));

        Assert.Equal(["AB", "ABCDEF", "B2X"], row.Funds.Keys);
        Assert.Equal([1.0m, 2.0m, 6.0m], row.Funds.Values);
        Assert.Equal(9.0m, row.TotalUsdM);
    }

    [Fact]
    public void A_blank_or_label_cell_in_the_ticker_row_is_not_a_fund_column()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT||Fee|FBTC|Total"], "10 Feb 2026|1.0|n/a|0.25%|2.0|3.0")));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal((1.0m, 2.0m), (row.Funds["IBIT"], row.Funds["FBTC"]));
    }

    [Fact]
    public void A_row_of_issuer_names_above_the_tickers_and_a_fee_row_below_them_are_ignored()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|Blackrock|Fidelity|", "|IBIT|FBTC|Total", "Fee|0.25%|0.25%|"], "10 Feb 2026|1.0|2.0|3.0")));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal(3.0m, row.TotalUsdM);
    }

    [Fact]
    public void A_Total_in_the_label_column_of_an_earlier_header_row_is_not_the_total_column()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["Total|||", "|IBIT|FBTC|Total"], "10 Feb 2026|1.0|2.0|3.0")));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal(3.0m, row.TotalUsdM);
    }

    [Fact]
    public void The_Total_column_named_in_another_header_row_is_not_read_as_a_fund_even_under_a_ticker()
    {
        var row = SingleRow(FarsideHtmlParser.Parse(EtfWithHeader(["|||Total", "|IBIT|FBTC|GBTC"], "10 Feb 2026|1.0|2.0|3.0")));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal(3.0m, row.TotalUsdM);
    }

    [Fact]
    public void A_Total_only_in_the_label_column_is_no_Total_column()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["Total|IBIT|FBTC"], "10 Feb 2026|1.0|2.0"));

        Assert.Equal("The flows table header has no 'Total' column.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_header_without_Total_is_rejected_with_its_reason()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|FBTC|Sum"], "10 Feb 2026|1.0|2.0|3.0"));

        Assert.Equal("The flows table header has no 'Total' column.", result.Error);
    }

    [Fact]
    public void A_repeated_fund_is_rejected_naming_the_first_repeated_one()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|FBTC|IBIT|FBTC|Total"], "10 Feb 2026|1.0|2.0|3.0|4.0|10.0"));

        Assert.Equal("The flows table header repeats fund 'IBIT'.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_table_with_no_header_row_is_rejected_with_its_reason()
    {
        var result = FarsideHtmlParser.Parse("<table class=\"etf\"><tbody><tr><td>10 Feb 2026</td><td>1.0</td></tr></tbody></table>");

        Assert.Equal("The flows table has no header rows (<thead> or <th> cells with the fund tickers).", result.Error);
    }

    [Fact]
    public void A_row_of_th_cells_in_the_body_is_a_header_row_not_a_data_row()
    {
        const string html = "<table class=\"etf\"><tbody><tr><th></th><th>IBIT</th><th>FBTC</th><th>Total</th></tr>"
            + "<tr><td>10 Feb 2026</td><td>1.0</td><td>2.0</td><td>3.0</td></tr></tbody></table>";

        var row = SingleRow(FarsideHtmlParser.Parse(html));

        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
    }
}
