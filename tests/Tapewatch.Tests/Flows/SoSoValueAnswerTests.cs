using Tapewatch.Core.Flows;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// <see cref="SoSoValueResponse"/>: the exact outcome and reason for each answer it cannot use (not JSON, no code, a
/// non-zero code with or without a message, no data, no list), and how the items become rows: the total in US$ millions,
/// the query's range inclusive at both ends, the first of a repeated date, oldest first, each skipped item's reason, and a
/// failure only when every item was skipped.
/// </summary>
public sealed class SoSoValueAnswerTests
{
    private static readonly EtfFlowQuery AllDates = new(DateOnly.MinValue, DateOnly.MaxValue);

    private static EtfFlowFetch ParseList(string items, EtfFlowQuery? query = null) =>
        SoSoValueResponse.Parse("{\"code\":0,\"data\":{\"list\":[" + items + "]}}", query ?? AllDates);

    [Theory]
    [InlineData("")]
    [InlineData("<html>Just a moment</html>")]
    [InlineData("{\"code\":0,")]
    public void An_answer_that_is_not_JSON_fails_to_parse_with_the_JSON_error(string body)
    {
        var fetch = SoSoValueResponse.Parse(body, AllDates);

        Assert.Equal((EtfFlowSourceNames.SoSoValue, SourceOutcome.ParseFailed), (fetch.Source, fetch.Outcome));
        Assert.StartsWith("the answer is not JSON: ", fetch.Error, StringComparison.Ordinal);
        Assert.True(fetch.Error!.Length > "the answer is not JSON: ".Length);
        Assert.Empty(fetch.Rows);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"code\":0}]")]
    [InlineData("\"code\"")]
    [InlineData("{\"msg\":\"ok\",\"data\":[]}")]
    public void An_answer_that_is_not_an_object_with_a_code_fails_to_parse(string body)
    {
        var fetch = SoSoValueResponse.Parse(body, AllDates);

        Assert.Equal((EtfFlowSourceNames.SoSoValue, SourceOutcome.ParseFailed, "the answer has no 'code' field"), (fetch.Source, fetch.Outcome, fetch.Error));
    }

    [Theory]
    [InlineData("{\"code\":1,\"msg\":\"rate limited\",\"data\":null}", "SoSoValue answered code 1: rate limited")]
    [InlineData("{\"code\":\"40001\",\"msg\":\"invalid key\"}", "SoSoValue answered code 40001: invalid key")]
    [InlineData("{\"code\":-1,\"msg\":\"\"}", "SoSoValue answered code -1: ")]
    [InlineData("{\"code\":1}", "SoSoValue answered code 1: no message")]
    [InlineData("{\"code\":1,\"msg\":42}", "SoSoValue answered code 1: no message")]
    [InlineData("{\"code\":1,\"msg\":null}", "SoSoValue answered code 1: no message")]
    [InlineData("{\"code\":\"00\",\"data\":[]}", "SoSoValue answered code 00: no message")]
    public void A_non_zero_code_is_a_failure_quoting_the_code_and_message(string body, string error)
    {
        var fetch = SoSoValueResponse.Parse(body, AllDates);

        Assert.Equal((EtfFlowSourceNames.SoSoValue, SourceOutcome.Failed, error), (fetch.Source, fetch.Outcome, fetch.Error));
        Assert.Empty(fetch.Rows);
    }

    [Fact]
    public void A_zero_code_without_data_fails_to_parse()
    {
        var fetch = SoSoValueResponse.Parse("{\"code\":0,\"msg\":\"success\"}", AllDates);

        Assert.Equal((SourceOutcome.ParseFailed, "the answer has no 'data' field"), (fetch.Outcome, fetch.Error));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"list\":{}}")]
    [InlineData("{\"list\":null}")]
    [InlineData("\"list\"")]
    [InlineData("17")]
    public void Data_that_is_neither_a_list_nor_an_object_with_a_list_fails_to_parse(string data)
    {
        var fetch = SoSoValueResponse.Parse("{\"code\":0,\"data\":" + data + "}", AllDates);

        Assert.Equal((SourceOutcome.ParseFailed, "the answer has no 'data.list' array"), (fetch.Outcome, fetch.Error));
    }

    [Theory]
    [InlineData("{\"code\":0,\"data\":[{\"date\":\"2026-02-10\",\"totalNetInflow\":1500000}]}")]
    [InlineData("{\"code\":\"0\",\"data\":{\"list\":[{\"date\":\"2026-02-10\",\"totalNetInflow\":1500000}]}}")]
    public void Data_may_be_the_list_itself_or_hold_it_and_the_code_may_be_a_string(string body)
    {
        var fetch = SoSoValueResponse.Parse(body, AllDates);

        Assert.Equal((EtfFlowSourceNames.SoSoValue, SourceOutcome.Ok, (string?)null, true), (fetch.Source, fetch.Outcome, fetch.Error, fetch.TotalsOnly));
        var row = Assert.Single(fetch.Rows);
        Assert.Equal((new DateOnly(2026, 2, 10), 1.5m), (row.Date, row.TotalUsdM));
        Assert.Empty(row.Funds);
        Assert.Empty(fetch.Warnings);
    }

    [Fact]
    public void Items_newest_first_become_rows_oldest_first_in_millions()
    {
        var fetch = ParseList("""
            {"date":"2026-02-12","totalNetInflow":-55066297.0},
            {"date":"2026-02-11","totalNetInflow":"1.5e8"},
            {"date":"2026-02-10","totalNetInflow":"-250000"}
            """);

        Assert.Equal(
            [(new DateOnly(2026, 2, 10), -0.25m), (new DateOnly(2026, 2, 11), 150m), (new DateOnly(2026, 2, 12), -55.066297m)],
            fetch.Rows.Select(r => (r.Date, r.TotalUsdM!.Value)));
    }

    [Fact]
    public void The_query_range_includes_both_its_ends_and_nothing_beyond()
    {
        var query = new EtfFlowQuery(new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 12));

        var fetch = ParseList("""
            {"date":"2026-02-13","totalNetInflow":13000000},
            {"date":"2026-02-12","totalNetInflow":12000000},
            {"date":"2026-02-11","totalNetInflow":11000000},
            {"date":"2026-02-10","totalNetInflow":10000000},
            {"date":"2026-02-09","totalNetInflow":9000000}
            """, query);

        Assert.Equal(
            [(new DateOnly(2026, 2, 10), 10m), (new DateOnly(2026, 2, 11), 11m), (new DateOnly(2026, 2, 12), 12m)],
            fetch.Rows.Select(r => (r.Date, r.TotalUsdM!.Value)));
        Assert.Empty(fetch.Warnings);
    }

    [Fact]
    public void A_repeated_date_keeps_the_first_item_silently()
    {
        var fetch = ParseList("""
            {"date":"2026-02-11","totalNetInflow":1000000},
            {"date":"2026-02-11","totalNetInflow":2000000},
            {"date":"2026-02-10","totalNetInflow":3000000}
            """);

        Assert.Equal([(new DateOnly(2026, 2, 10), 3m), (new DateOnly(2026, 2, 11), 1m)], fetch.Rows.Select(r => (r.Date, r.TotalUsdM!.Value)));
        Assert.Empty(fetch.Warnings);
    }

    [Fact]
    public void A_total_of_exactly_a_trillion_dollars_is_read_and_one_dollar_more_is_skipped_with_its_value()
    {
        var fetch = ParseList("""
            {"date":"2026-02-12","totalNetInflow":-1000000000001},
            {"date":"2026-02-11","totalNetInflow":"1000000000001"},
            {"date":"2026-02-10","totalNetInflow":-1000000000000}
            """);

        Assert.Equal(-1_000_000m, Assert.Single(fetch.Rows).TotalUsdM);
        Assert.Equal(
            [
                "2026-02-12: 'totalNetInflow' -1000000000001 is beyond ±1000000 US$m; skipped",
                "2026-02-11: 'totalNetInflow' 1000000000001 is beyond ±1000000 US$m; skipped",
            ],
            fetch.Warnings);
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
    }

    [Fact]
    public void Each_item_that_cannot_be_read_is_skipped_with_its_reason()
    {
        var fetch = ParseList("""
            {"date":20260213,"totalNetInflow":1},
            {"date":null,"totalNetInflow":1},
            [],
            {"date":"2026-02-12","totalNetInflow":null},
            {"date":"2026-02-11","totalNetInflow":1e40},
            {"date":"2026-02-10","totalNetInflow":"1,000"},
            {"date":"2026-02-09","value":1},
            {"date":"2026-02-06","totalNetInflow":{}},
            {"date":"2026-02-05","totalNetInflow":2000000}
            """);

        Assert.Equal(
            [
                "item 1: no 'date' in yyyy-MM-dd form; skipped",
                "item 2: no 'date' in yyyy-MM-dd form; skipped",
                "item 3: no 'date' in yyyy-MM-dd form; skipped",
                "2026-02-12: 'totalNetInflow' is missing or not a number; skipped",
                "2026-02-11: 'totalNetInflow' is missing or not a number; skipped",
                "2026-02-10: 'totalNetInflow' is missing or not a number; skipped",
                "2026-02-09: 'totalNetInflow' is missing or not a number; skipped",
                "2026-02-06: 'totalNetInflow' is missing or not a number; skipped",
            ],
            fetch.Warnings);
        Assert.Equal((new DateOnly(2026, 2, 5), 2m), (Assert.Single(fetch.Rows).Date, fetch.Rows[0].TotalUsdM!.Value));
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
    }

    [Fact]
    public void An_answer_whose_every_item_is_beyond_range_of_value_fails_with_the_first_reason()
    {
        var fetch = ParseList("""
            {"date":"2026-02-12","totalNetInflow":2000000000000},
            {"date":"2026-02-11","totalNetInflow":"x"}
            """);

        Assert.Equal(
            (SourceOutcome.ParseFailed, "no item of data.list could be read: 2026-02-12: 'totalNetInflow' 2000000000000 is beyond ±1000000 US$m; skipped"),
            (fetch.Outcome, fetch.Error));
        Assert.Empty(fetch.Rows);
    }

    [Fact]
    public void Items_read_but_outside_the_query_are_no_failure_beside_an_item_that_cannot_be_read()
    {
        var query = new EtfFlowQuery(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        var fetch = ParseList("""
            {"date":"2026-02-12","totalNetInflow":1000000},
            {"date":"2026-02-11","totalNetInflow":"x"}
            """, query);

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Null(fetch.Error);
        Assert.Empty(fetch.Rows);
        Assert.Equal(["2026-02-11: 'totalNetInflow' is missing or not a number; skipped"], fetch.Warnings);
    }

    [Fact]
    public void Items_all_outside_the_query_are_no_rows_and_no_failure()
    {
        var query = new EtfFlowQuery(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        var fetch = ParseList("""{"date":"2026-02-12","totalNetInflow":1000000}""", query);

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Empty(fetch.Rows);
        Assert.Empty(fetch.Warnings);
    }
}
