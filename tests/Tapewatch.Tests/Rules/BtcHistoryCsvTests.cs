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
}
