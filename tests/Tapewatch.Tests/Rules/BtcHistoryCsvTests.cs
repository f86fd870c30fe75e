using Tapewatch.Core.Evidence;

namespace Tapewatch.Tests.Rules;

/// <summary>
/// <see cref="BtcHistoryCsv"/> on the shapes a spreadsheet export brings: quoted cells (RFC 4180, read by Sep), a
/// quoted close grouped in thousands, CRLF line endings, blank lines; and a row running over lines fails the file with
/// its line numbers, as any bad row does.
/// </summary>
public sealed class BtcHistoryCsvTests
{
    private const string RunsOn = "(a line break inside quotes, or a quote left open)";

    private static (Dictionary<DateOnly, decimal>? Closes, string? Problem) Closes(string text) => BtcHistoryCsv.ParseCloses(new StringReader(text));

    [Fact]
    public void Quoted_cells_and_names_are_read_and_a_close_may_group_thousands_before_its_decimal_point()
    {
        var (closes, problem) = Closes("\"date\",\"close\"\n\"2024-01-11\",\"46,339.16\"\n2024-01-12, \"42,776.10\" \n2024-01-13,\"1,042,776\"\n");

        Assert.Null(problem);
        Assert.Equal([46_339.16m, 42_776.10m, 1_042_776m], closes!.OrderBy(c => c.Key).Select(c => c.Value));
    }

    [Theory]
    [InlineData("\"46,339\"")] // 46.339 with a decimal comma
    [InlineData("\"46339,16\"")]
    public void A_quoted_close_whose_comma_could_be_a_decimal_comma_fails_the_file_with_its_line(string close)
    {
        var (closes, problem) = Closes("date,close\n2024-01-10,46000\n2024-01-11," + close + "\n");

        Assert.Null(closes);
        Assert.Equal("line 3 is not 'yyyy-MM-dd,<positive close>'", problem);
    }

    [Fact]
    public void Crlf_line_endings_and_blank_lines_keep_the_line_numbers()
    {
        var (closes, problem) = Closes("date,close\r\n2024-01-11,46339.16\r\n\r\n  \r\n2024-01-12,x\r\n");

        Assert.Null(closes);
        Assert.Equal("line 5 is not 'yyyy-MM-dd,<positive close>'", problem);
    }

    [Fact]
    public void A_line_with_one_cell_fails_the_file_and_a_quoted_comma_does_not_make_two()
    {
        Assert.Equal("line 2 has fewer than two columns", Closes("date,close\n\"2024-01-11,46339.16\"\n").Problem);
    }

    [Fact]
    public void A_row_with_a_line_break_inside_quotes_fails_the_file_naming_its_lines()
    {
        Assert.Equal("line 3: a quoted cell runs on to line 4 " + RunsOn, Closes("date,close\n2024-01-10,46000\n2024-01-11,\"46339\n.16\"\n2024-01-12,42776\n").Problem);
    }

    [Fact]
    public void A_quote_left_open_in_the_header_fails_the_file_instead_of_reading_no_rows()
    {
        Assert.Equal("line 1: a quoted cell runs on to line 3 " + RunsOn, Closes("date,\"close\n2024-01-10,46000\n2024-01-11,46339.16").Problem);
    }

    [Fact]
    public void Quoted_funding_cells_are_read()
    {
        var (funding, problem) = BtcHistoryCsv.ParseFunding(new StringReader("\"time_utc\",\"rate\"\r\n\"2025-01-01T08:00Z\",\"-0.00005\"\r\n\"2025-01-01T00:00Z\",\"1E-4\"\r\n"));

        Assert.Null(problem);
        Assert.Equal([(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), 0.0001m), (new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero), -0.00005m)], funding!.Select(p => (p.TimeUtc, p.Rate)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_close_that_is_not_positive_fails_the_file(string close)
    {
        Assert.Equal("line 2 is not 'yyyy-MM-dd,<positive close>'", Closes("date,close\n2024-01-11," + close + "\n").Problem);
    }

    [Theory]
    [InlineData("0.05", null)]
    [InlineData("-0.05", null)]
    [InlineData("0.0501", "line 2 is not '<UTC time>,<rate per 8 h as a fraction>'")]
    [InlineData("-0.0501", "line 2 is not '<UTC time>,<rate per 8 h as a fraction>'")]
    public void A_funding_rate_beyond_five_percent_per_8h_fails_the_file_and_five_percent_is_read(string rate, string? problem)
    {
        Assert.Equal(problem, BtcHistoryCsv.ParseFunding(new StringReader("time_utc,rate\n2025-01-01T00:00Z," + rate + "\n")).Problem);
    }

    [Fact]
    public void A_funding_time_without_an_offset_is_UTC()
    {
        var (funding, _) = BtcHistoryCsv.ParseFunding(new StringReader("time_utc,rate\n2025-01-01 08:00,0.0001\n"));

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero), Assert.Single(funding!).TimeUtc);
        Assert.Equal(TimeSpan.Zero, funding![0].TimeUtc.Offset);
    }

    [Theory]
    [InlineData("close,date\n2024-01-11,46339.16\n", "the header must be 'date,close'")]
    [InlineData("\n2024-01-11,46339.16\n", "the header must be 'date,close'")]
    public void A_closes_file_must_start_with_its_header(string text, string problem)
    {
        Assert.Equal(problem, Closes(text).Problem);
    }

    [Fact]
    public void A_funding_file_must_start_with_its_header()
    {
        Assert.Equal("the header must be 'time_utc,rate'", BtcHistoryCsv.ParseFunding(new StringReader("date,rate\n2025-01-01T00:00Z,0.0001\n")).Problem);
    }
}
