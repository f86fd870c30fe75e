using Tapewatch.Core.Flows;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// Each way the flows parsers reject a page, a CSV or a SoSoValue answer, row by row or whole, with the reason they give.
/// The fuzz sweeps reach these branches with random inputs; these pin them with one input each (and keep them covered in
/// mutation runs, which leave the sweeps out).
/// </summary>
public sealed class FlowParserRejectionTests
{
    private static string Table(params string[] rows) => FarsideTableMarkup.Etf(rows);

    [Fact]
    public void Farside_a_table_without_header_rows_is_rejected_whole()
    {
        var result = FarsideHtmlParser.Parse("<table class=\"etf\"><tbody><tr><td>10 Feb 2026</td><td>1.0</td><td>1.0</td></tr></tbody></table>");

        Assert.False(result.Succeeded);
        Assert.Contains("no header rows", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Farside_rows_that_cannot_be_read_are_skipped_with_their_reason_and_the_others_kept()
    {
        var result = FarsideHtmlParser.Parse(Table(
            "10 Feb 2026|1.0|2.0|3.0",
            "Someday|1.0|2.0|3.0",
            "10 Feb 2026|9.0|9.0|18.0",
            "11 Feb 2026|1.0|2.0|abc",
            "12 Foo 2026|1.0|2.0|3.0",
            "2026-02-13|4.0|5.0|9.0",
            "16 February 2026|(1.5)|-|(1.5)"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [(new DateOnly(2026, 2, 10), 3.0m), (new DateOnly(2026, 2, 13), 9.0m), (new DateOnly(2026, 2, 16), -1.5m)],
            result.Rows.Select(r => (r.Date, r.TotalUsdM)));
        Assert.Equal(4, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.StartsWith("row 'Someday': not a date", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("2026-02-10: appears twice", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("2026-02-11: Total 'abc' is not a number", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("row '12 Foo 2026': not a date", StringComparison.Ordinal));
        Assert.Equal(9.0m, result.Rows.Single(r => r.Date == new DateOnly(2026, 2, 13)).Funds.Values.Sum());
    }

    [Fact]
    public void Farside_a_table_of_which_no_row_can_be_read_is_rejected_with_the_first_reasons()
    {
        var result = FarsideHtmlParser.Parse(Table("Someday|1.0|2.0|3.0", "11 Feb 2026|1.0|2.0|abc"));

        Assert.False(result.Succeeded);
        Assert.StartsWith("No row of the flows table could be read: row 'Someday': not a date", result.Error, StringComparison.Ordinal);
        Assert.Contains("; 2026-02-11: Total 'abc'", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("date,Total\n2026-02-10,1.0\n", "must start with 'date'")]
    [InlineData("day,IBIT,Total\n2026-02-10,1.0,1.0\n", "must start with 'date'")]
    [InlineData("date,IBIT,FBTC\n2026-02-10,1.0,1.0\n", "no 'Total' column")]
    [InlineData("date,IBIT,ibit,Total\n2026-02-10,1.0,1.0,2.0\n", "repeats column 'IBIT'")]
    [InlineData("", "empty")]
    public void Csv_a_header_that_cannot_be_read_rejects_the_file(string csv, string reason)
    {
        var result = FlowsCsvReader.Parse(new StringReader(csv));

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Csv_rows_that_cannot_be_read_are_skipped_with_their_line_and_reason()
    {
        var csv = string.Join('\n',
            "date,IBIT,FBTC,Total",
            "2026-02-10,1.0,2.0,3.0",
            "2026-02-11,1.0,2.0",
            "",
            "11/02/2026,1.0,2.0,3.0",
            "2026-02-10,5.0,5.0,10.0",
            "2026-02-12,-,(2.5),-2.5");

        var result = FlowsCsvReader.Parse(new StringReader(csv));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([(new DateOnly(2026, 2, 10), 3.0m), (new DateOnly(2026, 2, 12), -2.5m)], result.Rows.Select(r => (r.Date, r.TotalUsdM)));
        Assert.Equal(
            [
                "line 3: expected 4 cells, found 3; row skipped",
                "line 5: date '11/02/2026' is not yyyy-MM-dd; row skipped",
                "line 6: 2026-02-10 appears twice; later row skipped",
            ],
            result.Warnings);
    }

    private static readonly EtfFlowQuery AllDates = new(DateOnly.MinValue, DateOnly.MaxValue);

    [Fact]
    public void SoSoValue_items_without_a_date_or_a_number_are_skipped_with_their_reason()
    {
        const string body = """
            {"code":0,"data":{"list":[
              {"date":"2026-02-10","totalNetInflow":"150000000"},
              {"totalNetInflow":1},
              "not an object",
              {"date":"10/02/2026","totalNetInflow":1},
              {"date":"2026-02-11","totalNetInflow":"lots"},
              {"date":"2026-02-12","totalNetInflow":true},
              {"date":"2026-02-13","totalNetInflow":-2500000}
            ]}}
            """;

        var fetch = SoSoValueResponse.Parse(body, AllDates);

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Equal([(new DateOnly(2026, 2, 10), 150m), (new DateOnly(2026, 2, 13), -2.5m)], fetch.Rows.Select(r => (r.Date, r.TotalUsdM)));
        Assert.Equal(
            [
                "item 2: no 'date' in yyyy-MM-dd form; skipped",
                "item 3: no 'date' in yyyy-MM-dd form; skipped",
                "item 4: no 'date' in yyyy-MM-dd form; skipped",
                "2026-02-11: 'totalNetInflow' is missing or not a number; skipped",
                "2026-02-12: 'totalNetInflow' is missing or not a number; skipped",
            ],
            fetch.Warnings);
    }

    [Fact]
    public void SoSoValue_an_answer_of_which_no_item_can_be_read_is_a_parse_failure_with_the_first_reason()
    {
        var fetch = SoSoValueResponse.Parse("""{"code":"0","data":[{"date":"x"},{"date":"2026-02-11"}]}""", AllDates);

        Assert.Equal(SourceOutcome.ParseFailed, fetch.Outcome);
        Assert.Equal("no item of data.list could be read: item 1: no 'date' in yyyy-MM-dd form; skipped", fetch.Error);
        Assert.Empty(fetch.Rows);
    }

    [Fact]
    public void SoSoValue_an_empty_list_is_no_sessions_not_a_failure()
    {
        var fetch = SoSoValueResponse.Parse("""{"code":0,"data":{"list":[]}}""", AllDates);

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Empty(fetch.Rows);
        Assert.Empty(fetch.Warnings);
    }
}
