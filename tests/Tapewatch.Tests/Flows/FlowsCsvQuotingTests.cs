using System.Globalization;
using Tapewatch.Core.Flows;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// <see cref="FlowsCsvReader"/> on quoted cells (RFC 4180, read by Sep): a quoted cell or name may hold the separator
/// and doubled quotes, a quoted number may group thousands where that cannot be a decimal comma, and a row running over
/// lines is skipped naming its lines while the rows after it keep their own line numbers.
/// </summary>
public sealed class FlowsCsvQuotingTests
{
    private const string RunsOn = "(a line break inside quotes, or a quote left open)";

    private static EtfFlowParseResult Read(params string[] lines) => FlowsCsvReader.Parse(new StringReader(string.Join('\n', lines)));

    [Fact]
    public void A_quoted_cell_may_hold_the_separator_as_a_thousands_separator()
    {
        var result = Read("date,IBIT,FBTC,Total", "2024-01-11,\"1,234.5\",\"(1,000.0)\",\"234.5\"");

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        var row = Assert.Single(result.Rows);
        Assert.Equal((1234.5m, -1000.0m, 234.5m), (row.Funds["IBIT"], row.Funds["FBTC"], row.TotalUsdM));
    }

    [Fact]
    public void A_quoted_number_whose_comma_could_be_a_decimal_comma_skips_its_row()
    {
        var result = Read("date,IBIT,Total", "2024-01-11,\"1,234\",1.0", "2024-01-12,\"12,5\",1.0", "2024-01-13,1.0,1.0");

        Assert.Equal(
            ["line 2: IBIT value '1,234' is not a number (or beyond ±1000000 US$m); row skipped", "line 3: IBIT value '12,5' is not a number (or beyond ±1000000 US$m); row skipped"],
            result.Warnings);
        Assert.Equal(new DateOnly(2024, 1, 13), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void An_unquoted_thousands_separator_is_two_cells_and_the_row_is_skipped_for_its_count()
    {
        var result = Read("date,IBIT,Total", "2024-01-11,1,234.5,1.0");

        Assert.Equal(["line 2: expected 3 cells, found 4; row skipped"], result.Warnings);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Quoted_header_names_are_unquoted_and_may_hold_the_separator_and_doubled_quotes()
    {
        var result = Read("\"date\",\"Fund, Inc\",\"The \"\"B\"\" Trust\",\"Total\"", "2024-01-11,1.0,2.0,3.0");

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(result.Rows);
        Assert.Equal(["Fund, Inc", "The \"B\" Trust"], row.Funds.Keys);
        Assert.Equal((1.0m, 2.0m, 3.0m), (row.Funds["Fund, Inc"], row.Funds["The \"B\" Trust"], row.TotalUsdM));
    }

    [Fact]
    public void A_byte_order_mark_before_a_quoted_first_name_is_skipped()
    {
        var result = FlowsCsvReader.Parse(new StringReader("\uFEFF\"date\",\"IBIT\",\"Total\"\n2024-01-11,1.0,1.0\n"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void Spaces_around_a_quoted_cell_are_not_part_of_it_and_a_quoted_date_is_read()
    {
        var row = Assert.Single(Read("date,IBIT,Total", "\"2024-01-11\", \"12.5\" ,\" - \"").Rows);

        Assert.Equal((new DateOnly(2024, 1, 11), (decimal?)12.5m, (decimal?)null), (row.Date, row.Funds["IBIT"], row.TotalUsdM));
    }

    [Fact]
    public void A_bad_quoted_cell_is_named_without_its_quotes()
    {
        var result = Read("date,IBIT,Total", "2024-01-11,\"n/a, see note\",1.0");

        Assert.Equal(["line 2: IBIT value 'n/a, see note' is not a number (or beyond ±1000000 US$m); row skipped"], result.Warnings);
    }

    [Fact]
    public void Crlf_line_endings_read_as_lf_ones_with_the_same_line_numbers()
    {
        var result = FlowsCsvReader.Parse(new StringReader("date,IBIT,Total\r\n2024-01-11,\"1,234.5\",1.0\r\n\r\n2024-01-12,x,1.0\r\n2024-01-13,1.0,1.0\r\n"));

        Assert.Equal(["line 4: IBIT value 'x' is not a number (or beyond ±1000000 US$m); row skipped"], result.Warnings);
        Assert.Equal([(new DateOnly(2024, 1, 11), (decimal?)1234.5m), (new DateOnly(2024, 1, 13), 1.0m)], result.Rows.Select(r => (r.Date, r.Funds["IBIT"])));
    }

    [Fact]
    public void A_row_with_a_line_break_inside_quotes_is_skipped_naming_its_lines_and_later_lines_keep_their_numbers()
    {
        var result = Read("date,IBIT,Total", "2024-01-11,\"1.0", "2.0\",3.0", "2024-01-12,x,1.0", "2024-01-13,1.0,1.0");

        Assert.Equal(
            ["line 2: a quoted cell runs on to line 3 " + RunsOn + "; row skipped", "line 4: IBIT value 'x' is not a number (or beyond ±1000000 US$m); row skipped"],
            result.Warnings);
        Assert.Equal(new DateOnly(2024, 1, 13), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void A_quote_left_open_cannot_swallow_the_rest_of_the_file_unseen()
    {
        var result = Read("date,IBIT,Total", "2024-01-11,1.0,1.0", "2024-01-12,\"1.0,1.0", "2024-01-13,1.0,1.0", "2024-01-14,1.0,1.0");

        Assert.Equal(["line 3: a quoted cell runs on to line 5 " + RunsOn + "; row skipped"], result.Warnings);
        Assert.Equal(new DateOnly(2024, 1, 11), Assert.Single(result.Rows).Date);
    }

    [Fact]
    public void A_header_running_over_lines_rejects_the_file()
    {
        var result = Read("date,\"IBIT", "(US$m)\",Total", "2024-01-11,1.0,1.0");

        Assert.Equal("The CSV header runs on to line 2 " + RunsOn + ".", result.Error);
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("1,234.5", "1234.5")]
    [InlineData("\"1,234.5\"", "1234.5")]
    [InlineData("(1,234.5)", "-1234.5")]
    [InlineData("-1,234.5", "-1234.5")]
    [InlineData("+1,234.50", "1234.50")]
    [InlineData("999,999.9", "999999.9")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("(1,000,000)", "-1000000")]
    public void A_number_grouped_in_thousands_with_a_decimal_point_or_two_groups_is_read(string text, string expected)
    {
        Assert.True(FlowsCsvReader.TryParseCell(text, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1,234")]      // 1.234 with a decimal comma
    [InlineData("12,5")]       // 12.5 with a decimal comma
    [InlineData("0,123.4")]    // no group starts with 0
    [InlineData("1,23.4")]     // a group of two
    [InlineData("1234,567.8")] // a first group of four
    [InlineData("1,,234.5")]
    [InlineData("1, 234.5")]
    [InlineData(",234.5")]
    [InlineData("1,234.5,6")]
    [InlineData("1,000,000.1")] // beyond ±US$1 trillion
    public void A_number_whose_commas_are_not_unambiguous_thousands_does_not_parse(string text)
    {
        Assert.False(FlowsCsvReader.TryParseCell(text, out var value));
        Assert.Null(value);
    }
}
