using System.Globalization;
using Tapewatch.Core.Flows;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// <see cref="FlowsCsvReader"/>: the header (<c>date,&lt;funds…&gt;,Total</c>, any case, a BOM and spaces allowed) with the
/// exact reason when it cannot be read, each line read into a row or skipped with its line number and exact reason (the
/// first bad cell named), and the cell rules (blank and "-" not reported, parentheses negative, quotes stripped, at most
/// US$1 trillion either way).
/// </summary>
public sealed class FlowsCsvHeaderAndLineTests
{
    private const string BadValue = "is not a number (or beyond ±1000000 US$m); row skipped";

    private static EtfFlowParseResult Read(params string[] lines) => FlowsCsvReader.Parse(new StringReader(string.Join('\n', lines)));

    [Fact]
    public void An_empty_file_is_rejected_as_empty()
    {
        Assert.Equal("The CSV is empty (no header line).", FlowsCsvReader.Parse(new StringReader("")).Error);
    }

    [Theory]
    [InlineData("date,Total")]
    [InlineData("day,IBIT,Total")]
    [InlineData("IBIT,date,Total")]
    [InlineData("date")]
    public void A_header_not_starting_with_date_or_too_short_is_rejected_quoting_it(string header)
    {
        var result = Read(header, "2026-02-10,1.0,1.0");

        Assert.Equal("The CSV header must start with 'date' and have fund columns and 'Total'; got '" + header + "'.", result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_rejected_header_of_forty_characters_is_quoted_whole()
    {
        var header = "day," + new string('A', 30) + ",Total";

        Assert.Equal("The CSV header must start with 'date' and have fund columns and 'Total'; got '" + header + "'.", Read(header).Error);
    }

    [Fact]
    public void A_rejected_header_longer_than_forty_characters_is_quoted_cut_to_forty()
    {
        var header = "day," + new string('A', 31) + ",Total";

        Assert.Equal("The CSV header must start with 'date' and have fund columns and 'Total'; got 'day," + new string('A', 31) + ",Tota…'.", Read(header).Error);
    }

    [Fact]
    public void A_header_without_Total_is_rejected_with_its_reason()
    {
        Assert.Equal("The CSV header has no 'Total' column.", Read("date,IBIT,FBTC", "2026-02-10,1.0,2.0").Error);
    }

    [Theory]
    [InlineData("date,IBIT,FBTC,IBIT,FBTC,Total", "IBIT")]
    [InlineData("date,IBIT,FBTC,fbtc,Total", "FBTC")]
    [InlineData("date,IBIT,Total,TOTAL", "Total")]
    [InlineData("date,IBIT,DATE,Total", "date")]
    public void A_header_repeating_a_column_in_any_case_is_rejected_naming_its_first_spelling(string header, string repeated)
    {
        Assert.Equal("The CSV header repeats column '" + repeated + "'.", Read(header).Error);
    }

    [Fact]
    public void Three_columns_are_enough_date_one_fund_and_Total()
    {
        var result = Read("date,IBIT,Total", "2026-02-10,1.5,1.5");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal((new DateOnly(2026, 2, 10), 1.5m, 1.5m), (row.Date, row.Funds["IBIT"], row.TotalUsdM));
    }

    [Fact]
    public void A_header_with_a_byte_order_mark_spaces_and_other_case_is_read()
    {
        var result = Read("\uFEFFDATE, IBIT , FBTC ,total", "2026-02-10,1.0,2.0,3.0");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal((1.0m, 2.0m, 3.0m), (row.Funds["IBIT"], row.Funds["FBTC"], row.TotalUsdM));
    }

    [Fact]
    public void The_Total_column_may_stand_anywhere_after_date_and_each_fund_is_its_own_column()
    {
        var result = Read("date,Total,IBIT,FBTC", "2026-02-10,3.0,1.0,2.0");

        var row = Assert.Single(result.Rows);
        Assert.Equal(["IBIT", "FBTC"], row.Funds.Keys);
        Assert.Equal((1.0m, 2.0m, 3.0m), (row.Funds["IBIT"], row.Funds["FBTC"], row.TotalUsdM));
    }

    [Fact]
    public void Lines_are_numbered_from_the_header_counting_blank_and_whitespace_lines_which_are_skipped_silently()
    {
        var result = Read("date,IBIT,Total", "", "   ", "2026-02-10,x,1.0", "\t", "2026-02-11,1.0,1.0");

        Assert.Equal(["line 4: IBIT value 'x' " + BadValue], result.Warnings);
        Assert.Equal(new DateOnly(2026, 2, 11), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void A_line_with_more_cells_than_the_header_is_skipped_with_both_counts()
    {
        var result = Read("date,IBIT,Total", "2026-02-10,1.0,1.0,1.0", "2026-02-11,1.0,1.0");

        Assert.Equal(["line 2: expected 3 cells, found 4; row skipped"], result.Warnings);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void A_date_with_spaces_around_it_is_read()
    {
        var row = Assert.Single(Read("date,IBIT,Total", " 2026-02-10 ,1.0,1.0").Rows);

        Assert.Equal(new DateOnly(2026, 2, 10), row.Date);
    }

    [Theory]
    [InlineData("10 Feb 2026")]
    [InlineData("2026-2-10")]
    [InlineData("2026-02-30")]
    public void A_date_not_in_yyyy_MM_dd_skips_the_line_quoting_it(string date)
    {
        var result = Read("date,IBIT,Total", date + ",1.0,1.0");

        Assert.Equal(["line 2: date '" + date + "' is not yyyy-MM-dd; row skipped"], result.Warnings);
        Assert.Empty(result.Rows);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void A_long_bad_date_is_quoted_cut_to_forty_characters()
    {
        var result = Read("date,IBIT,Total", new string('2', 41) + ",1.0,1.0");

        Assert.Equal(["line 2: date '" + new string('2', 40) + "…' is not yyyy-MM-dd; row skipped"], result.Warnings);
    }

    [Fact]
    public void A_repeated_date_keeps_the_first_line()
    {
        var result = Read("date,IBIT,Total", "2026-02-10,1.0,1.0", "2026-02-10,2.0,2.0");

        Assert.Equal(1.0m, Assert.Single(result.Rows).TotalUsdM);
        Assert.Equal(["line 3: 2026-02-10 appears twice; later row skipped"], result.Warnings);
    }

    [Fact]
    public void Of_two_bad_fund_cells_the_first_is_named_and_a_bad_fund_is_named_before_a_bad_total()
    {
        var result = Read("date,IBIT,FBTC,Total", "2026-02-10,x,y,1.0", "2026-02-11,1.0,y,z");

        Assert.Equal(["line 2: IBIT value 'x' " + BadValue, "line 3: FBTC value 'y' " + BadValue], result.Warnings);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_bad_total_skips_the_line_with_its_reason()
    {
        var result = Read("date,IBIT,Total", "2026-02-10,1.0,n/a", "2026-02-11,1.0,1000000.01");

        Assert.Equal(["line 2: Total 'n/a' " + BadValue, "line 3: Total '1000000.01' " + BadValue], result.Warnings);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_long_bad_cell_is_quoted_cut_to_forty_characters()
    {
        var result = Read("date,IBIT,Total", "2026-02-10," + new string('x', 41) + ",1.0", "2026-02-11,1.0," + new string('y', 40));

        Assert.Equal(
            ["line 2: IBIT value '" + new string('x', 40) + "…' " + BadValue, "line 3: Total '" + new string('y', 40) + "' " + BadValue],
            result.Warnings);
    }

    [Fact]
    public void Each_value_is_the_cell_at_its_line_and_column()
    {
        var result = Read("date,IBIT,FBTC,GBTC,Total", "2026-02-10,1.5,-,(2.5),-1.0", "2026-02-11,,\"3.25\",0.0,", "2026-02-12,-,-,-,-");

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        Assert.Equal(
            [
                (new DateOnly(2026, 2, 10), (decimal?)1.5m, (decimal?)null, (decimal?)-2.5m, (decimal?)-1.0m),
                (new DateOnly(2026, 2, 11), null, 3.25m, 0.0m, null),
                (new DateOnly(2026, 2, 12), null, null, null, null),
            ],
            result.Rows.Select(r => (r.Date, r.Funds["IBIT"], r.Funds["FBTC"], r.Funds["GBTC"], r.TotalUsdM)));
        Assert.False(result.Rows[2].IsSession);
    }

    [Fact]
    public void Lines_keep_the_order_of_the_file()
    {
        var result = Read("date,IBIT,Total", "2026-02-12,1.0,1.0", "2026-02-10,2.0,2.0");

        Assert.Equal([new DateOnly(2026, 2, 12), new DateOnly(2026, 2, 10)], result.Rows.Select(r => r.Date));
    }

    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("(12.5)", "-12.5")]
    [InlineData("(0)", "0")]
    [InlineData("\"12.5\"", "12.5")]
    [InlineData(" \"12.5\" ", "12.5")]
    [InlineData("\" 12.5 \"", "12.5")]
    [InlineData("\"(12.5)\"", "-12.5")]
    [InlineData("1000000", "1000000")]
    [InlineData("(1000000)", "-1000000")]
    [InlineData("-1000000", "-1000000")]
    public void A_number_cell_is_its_value_in_millions(string text, string expected)
    {
        Assert.True(FlowsCsvReader.TryParseCell(text, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-")]
    [InlineData(" - ")]
    [InlineData("\"\"")]
    [InlineData("\"-\"")]
    public void A_blank_or_dash_cell_is_not_reported(string text)
    {
        Assert.True(FlowsCsvReader.TryParseCell(text, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("(12.5")]
    [InlineData("12.5)")]
    [InlineData("(-12.3)")]
    [InlineData("1000000.01")]
    [InlineData("(1000000.01)")]
    [InlineData("-1000000.01")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("()")]
    public void A_cell_that_is_not_a_usable_number_does_not_parse(string text)
    {
        Assert.False(FlowsCsvReader.TryParseCell(text, out var value));
        Assert.Null(value);
    }
}
