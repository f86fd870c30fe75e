using Tapewatch.Core.Flows;
using static Tapewatch.Tests.Flows.FarsideTableMarkup;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// How <see cref="FarsideHtmlParser"/> reads the body rows of the flows table: trailer and blank rows are skipped silently,
/// every other row is read or skipped with its exact reason (not a date, too few cells, a repeated date, a cell that is not
/// a number — the first bad cell named, long texts cut at 40 characters), and the rows come out in date order.
/// </summary>
public sealed class FarsideDataRowTests
{
    private const string BadValue = "is not a number (or beyond ±1000000 US$m); row skipped";

    [Theory]
    [InlineData("Total")]
    [InlineData("TOTAL")]
    [InlineData("Average")]
    [InlineData("average")]
    [InlineData("Maximum")]
    [InlineData("MAXIMUM")]
    [InlineData("Minimum")]
    [InlineData("minimum")]
    public void A_trailer_row_is_skipped_without_a_warning(string label)
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", label + "|1.0|2.0|3.0"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new DateOnly(2026, 2, 10), Assert.Single(result.Rows).Date);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void All_four_trailer_rows_together_are_skipped_without_a_warning()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "Total|1.0|2.0|3.0", "Average|1.0|2.0|3.0", "Maximum|1.0|2.0|3.0", "Minimum|1.0|2.0|3.0"));

        Assert.Single(result.Rows);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_table_of_trailer_rows_only_has_no_dated_rows()
    {
        var result = FarsideHtmlParser.Parse(Etf("Total|1.0|2.0|3.0", "Average|1.0|2.0|3.0"));

        Assert.Equal("The flows table has no dated rows (expected dates like '06 Jul 2026' in the first column).", result.Error);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_table_with_a_header_and_no_body_has_no_dated_rows()
    {
        var result = FarsideHtmlParser.Parse(Etf());

        Assert.Equal("The flows table has no dated rows (expected dates like '06 Jul 2026' in the first column).", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_blank_row_is_skipped_without_a_warning()
    {
        var result = FarsideHtmlParser.Parse(Etf("|||", "10 Feb 2026|1.0|2.0|3.0", "&nbsp;| |&nbsp; |"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(result.Rows);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_row_without_a_label_but_with_values_is_not_a_date()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "|1.0|2.0|3.0"));

        Assert.Equal(["row '': not a date; skipped"], result.Warnings);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void A_row_with_only_a_value_in_its_last_cell_is_not_blank()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "|||3.0"));

        Assert.Equal(["row '': not a date; skipped"], result.Warnings);
    }

    [Fact]
    public void A_label_of_forty_characters_is_quoted_whole()
    {
        var label = new string('x', 40);

        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", label + "|1.0|2.0|3.0"));

        Assert.Equal(["row 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': not a date; skipped"], result.Warnings);
    }

    [Fact]
    public void A_label_of_forty_one_characters_is_cut_to_forty_and_an_ellipsis()
    {
        var label = new string('x', 40) + "y";

        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", label + "|1.0|2.0|3.0"));

        Assert.Equal(["row 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…': not a date; skipped"], result.Warnings);
    }

    [Fact]
    public void A_row_one_cell_short_of_the_header_is_skipped_and_a_row_of_exactly_the_header_width_or_wider_is_read()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|1.0|2.0", "12 Feb 2026|1.0|2.0|3.0|note"));

        Assert.Equal([new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 12)], result.Rows.Select(r => r.Date));
        Assert.Equal(["2026-02-11: 3 cells, the header needs 4; row skipped"], result.Warnings);
    }

    [Fact]
    public void The_width_a_row_needs_reaches_the_last_fund_column_when_Total_is_not_last()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|Total|FBTC"], "10 Feb 2026|1.0|3.0|2.0", "11 Feb 2026|1.0|3.0", "12 Feb 2026|4.0|9.0|5.0"));

        Assert.Equal(["2026-02-11: 3 cells, the header needs 4; row skipped"], result.Warnings);
        Assert.Equal([new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 12)], result.Rows.Select(r => r.Date));
        var first = result.Rows[0];
        Assert.Equal((1.0m, 2.0m, 3.0m), (first.Funds["IBIT"], first.Funds["FBTC"], first.TotalUsdM));
    }

    [Fact]
    public void The_width_a_row_needs_reaches_the_Total_column_when_Total_is_last()
    {
        var result = FarsideHtmlParser.Parse(EtfWithHeader(["|IBIT|FBTC||Total"], "10 Feb 2026|1.0|2.0||3.0", "11 Feb 2026|1.0|2.0|"));

        Assert.Equal(["2026-02-11: 4 cells, the header needs 5; row skipped"], result.Warnings);
        Assert.Equal(3.0m, Assert.Single(result.Rows).TotalUsdM);
    }

    [Fact]
    public void A_repeated_date_keeps_the_first_row_and_names_the_date()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "10 Feb 2026|9.0|9.0|18.0"));

        var row = Assert.Single(result.Rows);
        Assert.Equal((1.0m, 2.0m, 3.0m), (row.Funds["IBIT"], row.Funds["FBTC"], row.TotalUsdM));
        Assert.Equal(["2026-02-10: appears twice; later row skipped"], result.Warnings);
    }

    [Fact]
    public void A_date_written_two_ways_is_still_the_same_date()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "2026-02-10|9.0|9.0|18.0"));

        Assert.Equal(3.0m, Assert.Single(result.Rows).TotalUsdM);
        Assert.Equal(["2026-02-10: appears twice; later row skipped"], result.Warnings);
    }

    [Fact]
    public void A_fund_cell_that_is_not_a_number_skips_the_row_naming_the_fund_and_the_text()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|1.0|2,0x|3.0"));

        Assert.Equal(["2026-02-11: FBTC value '2,0x' " + BadValue], result.Warnings);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void Of_two_bad_fund_cells_the_first_is_named()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|x|y|3.0"));

        Assert.Equal(["2026-02-11: IBIT value 'x' " + BadValue], result.Warnings);
    }

    [Fact]
    public void A_bad_fund_cell_is_named_rather_than_a_bad_total()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|1.0|y|z"));

        Assert.Equal(["2026-02-11: FBTC value 'y' " + BadValue], result.Warnings);
    }

    [Fact]
    public void A_total_that_is_not_a_number_skips_the_row_with_its_reason()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|1.0|2.0|n/a"));

        Assert.Equal(["2026-02-11: Total 'n/a' " + BadValue], result.Warnings);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void A_total_beyond_a_trillion_dollars_skips_the_row_and_one_at_exactly_a_trillion_is_read()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|(1,000,000.0)", "11 Feb 2026|1.0|2.0|1,000,000.1"));

        Assert.Equal(-1_000_000m, Assert.Single(result.Rows).TotalUsdM);
        Assert.Equal(["2026-02-11: Total '1,000,000.1' " + BadValue], result.Warnings);
    }

    [Fact]
    public void Long_bad_cells_are_quoted_cut_to_forty_characters()
    {
        var long41 = new string('9', 39) + "xy";

        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|" + long41 + "|2.0|3.0", "12 Feb 2026|1.0|2.0|" + long41));

        Assert.Equal(
            [
                "2026-02-11: IBIT value '" + new string('9', 39) + "x…' " + BadValue,
                "2026-02-12: Total '" + new string('9', 39) + "x…' " + BadValue,
            ],
            result.Warnings);
    }

    [Fact]
    public void A_dash_total_is_not_reported_and_a_row_of_dashes_is_kept_as_a_non_session()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|1.0|2.0|3.0", "16 Feb 2026|-|-|-"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        var holiday = result.Rows.Single(r => r.Date == new DateOnly(2026, 2, 16));
        Assert.Null(holiday.TotalUsdM);
        Assert.All(holiday.Funds.Values, v => Assert.Null(v));
        Assert.False(holiday.IsSession);
        Assert.True(result.Rows[0].IsSession);
    }

    [Fact]
    public void Rows_given_newest_first_come_out_in_date_order()
    {
        var result = FarsideHtmlParser.Parse(Etf("12 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|4.0|5.0|9.0", "10 Feb 2026|6.0|7.0|13.0"));

        Assert.Equal(
            [(new DateOnly(2026, 2, 10), 13.0m), (new DateOnly(2026, 2, 11), 9.0m), (new DateOnly(2026, 2, 12), 3.0m)],
            result.Rows.Select(r => (r.Date, r.TotalUsdM)));
    }

    [Fact]
    public void Rows_out_of_order_come_out_in_date_order()
    {
        var result = FarsideHtmlParser.Parse(Etf("11 Feb 2026|4.0|5.0|9.0", "12 Feb 2026|1.0|2.0|3.0", "10 Feb 2026|6.0|7.0|13.0"));

        Assert.Equal([new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 11), new DateOnly(2026, 2, 12)], result.Rows.Select(r => r.Date));
    }

    [Fact]
    public void Rows_in_order_keep_their_order_and_values()
    {
        var result = FarsideHtmlParser.Parse(Etf("10 Feb 2026|6.0|7.0|13.0", "11 Feb 2026|4.0|5.0|9.0", "12 Feb 2026|1.0|2.0|3.0"));

        Assert.Equal(
            [(new DateOnly(2026, 2, 10), 6.0m, 7.0m, 13.0m), (new DateOnly(2026, 2, 11), 4.0m, 5.0m, 9.0m), (new DateOnly(2026, 2, 12), 1.0m, 2.0m, 3.0m)],
            result.Rows.Select(r => (r.Date, r.Funds["IBIT"]!.Value, r.Funds["FBTC"]!.Value, r.TotalUsdM!.Value)));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Warnings_of_skipped_rows_are_kept_beside_the_rows_read()
    {
        var result = FarsideHtmlParser.Parse(Etf("Someday|1.0|2.0|3.0", "10 Feb 2026|1.0|2.0|3.0", "11 Feb 2026|1.0|2.0"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["row 'Someday': not a date; skipped", "2026-02-11: 3 cells, the header needs 4; row skipped"], result.Warnings);
    }

    [Fact]
    public void A_table_of_which_no_row_is_read_names_its_first_three_reasons()
    {
        var result = FarsideHtmlParser.Parse(Etf("a|1.0|2.0|3.0", "b|1.0|2.0|3.0", "11 Feb 2026|1.0|2.0", "d|1.0|2.0|3.0"));

        Assert.Equal(
            "No row of the flows table could be read: row 'a': not a date; skipped; row 'b': not a date; skipped; 2026-02-11: 3 cells, the header needs 4; row skipped",
            result.Error);
        Assert.Empty(result.Rows);

        // Regression: the reasons beyond the third were lost (the failure kept only its error text).
        Assert.Equal(
            ["row 'a': not a date; skipped", "row 'b': not a date; skipped", "2026-02-11: 3 cells, the header needs 4; row skipped", "row 'd': not a date; skipped"],
            result.Warnings);
    }

    [Fact]
    public void A_table_of_which_the_one_row_is_unreadable_names_that_reason()
    {
        var result = FarsideHtmlParser.Parse(Etf("11 Feb 2026|x|2.0|3.0"));

        Assert.Equal("No row of the flows table could be read: 2026-02-11: IBIT value 'x' " + BadValue, result.Error);
    }
}
