using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Time;
using Tapewatch.Tests.Fuzz;

namespace Tapewatch.Tests.Flows;

public sealed class FarsideHtmlParserTests
{
    // 08:00 New York on Wed 18 Feb 2026: Tuesday's late fund (ARKB) is still inside the 14:00 UTC cut-off.
    private static readonly DateTimeOffset Now = new(2026, 2, 18, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Golden_page_parses_to_the_expected_sessions()
    {
        var fetch = EtfFlowFile.Parse(FlowsFixtures.Read("farside_quirks.html"), EtfFlowFileFormat.Html, "file:farside_quirks.html");
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Now, TradingCalendar.Default);

        Assert.Equal(FlowsFixtures.Compact(FlowsFixtures.Read("farside_quirks.expected.json")), EtfSessionView.Serialize(plan.Sessions));
        Assert.Empty(plan.Warnings);
        Assert.Empty(fetch.Warnings);
    }

    [Fact]
    public void Each_value_is_the_cell_at_its_date_row_and_fund_column()
    {
        var html = FlowsFixtures.Read("farside_quirks.html");
        var rows = FarsideHtmlParser.Parse(html).Rows;

        var verdict = TableOracle.Check(TableOracle.FromHtml(html), rows.Select(r => new RowClaim(TableOracle.Key(r.Date), [.. r.Funds.Select(f => (f.Key, f.Value)), ("Total", r.TotalUsdM)])).ToList());

        Assert.Empty(verdict.Violations);
        Assert.Equal(8 * 7, verdict.CheckedValues); // 8 dated rows × (6 funds + Total), "-" included as not reported
    }

    [Fact]
    public void Header_row_of_tickers_drives_the_columns_whatever_rows_surround_it()
    {
        var result = FarsideHtmlParser.Parse(FlowsFixtures.Read("farside_quirks.html"));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["IBIT", "FBTC", "BITB", "ARKB", "NEWF", "GBTC"], result.Rows[0].Funds.Keys);
    }

    [Fact]
    public void Red_parenthesised_values_are_negative_and_thousands_separators_are_read()
    {
        var row = FarsideHtmlParser.Parse(FlowsFixtures.Read("farside_quirks.html")).Rows.Single(r => r.Date == new DateOnly(2026, 2, 9));
        Assert.Equal(1205.2m, row.Funds["IBIT"]);
        Assert.Equal(-44.5m, row.Funds["FBTC"]);
        Assert.Equal(-1113.7m, row.Funds["GBTC"]);
        Assert.Equal(59.0m, row.TotalUsdM);
    }

    [Fact]
    public void Dash_is_not_reported_never_zero()
    {
        var rows = FarsideHtmlParser.Parse(FlowsFixtures.Read("farside_quirks.html")).Rows;
        var tuesday = rows.Single(r => r.Date == new DateOnly(2026, 2, 17));
        Assert.Null(tuesday.Funds["ARKB"]);
        Assert.Equal(0.0m, rows.Single(r => r.Date == new DateOnly(2026, 2, 12)).Funds["GBTC"]);
        Assert.True(tuesday.IsSession);
    }

    [Fact]
    public void Holiday_row_and_green_pending_row_are_not_sessions_and_trailer_rows_are_skipped()
    {
        var fetch = EtfFlowFile.Parse(FlowsFixtures.Read("farside_quirks.html"), EtfFlowFileFormat.Html, "file");
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Now, TradingCalendar.Default);

        // 16 Feb 2026 is Presidents' Day (a holiday row), 18 Feb the green "today" row with Total 0.0.
        Assert.Equal([new DateOnly(2026, 2, 16), new DateOnly(2026, 2, 18)], plan.NotSessions);
        Assert.DoesNotContain(plan.Sessions, s => s.Session.Date == new DateOnly(2026, 2, 18));
        Assert.Equal(8, fetch.Rows.Count); // 8 dated rows; Total/Average/Maximum/Minimum are not rows
    }

    [Fact]
    public void A_fund_that_never_reported_is_not_late_but_one_that_did_is()
    {
        var fetch = EtfFlowFile.Parse(FlowsFixtures.Read("farside_quirks.html"), EtfFlowFileFormat.Html, "file");
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Now, TradingCalendar.Default);
        var feb9 = plan.Sessions.Single(s => s.Session.Date == new DateOnly(2026, 2, 9));
        Assert.Empty(feb9.LateFunds); // NEWF had not launched
        Assert.Equal(SessionStatus.Final, feb9.Session.Status);
        var feb17 = plan.Sessions.Single(s => s.Session.Date == new DateOnly(2026, 2, 17));
        Assert.Equal(["ARKB"], feb17.LateFunds);
        Assert.Equal(SessionStatus.Provisional, feb17.Session.Status);
    }

    [Fact]
    public void Challenge_page_is_blocked_not_parsed()
    {
        var html = FlowsFixtures.Read("farside_challenge.html");
        Assert.True(FarsideChallenge.IsChallenge(html));
        var fetch = EtfFlowFile.Parse(html, EtfFlowFileFormat.Html, "file");
        Assert.Equal(SourceOutcome.SourceBlocked, fetch.Outcome);
        Assert.Empty(fetch.Rows);
        Assert.False(FarsideHtmlParser.Parse(html).Succeeded);
    }

    [Theory]
    [InlineData("farside_unrecognised.html", "fund tickers")]
    [InlineData("farside_no_total.html", "'Total' column")]
    public void Unrecognised_table_fails_naming_what_is_missing(string fixture, string missing)
    {
        var fetch = EtfFlowFile.Parse(FlowsFixtures.Read(fixture), EtfFlowFileFormat.Html, "file");
        Assert.Equal(SourceOutcome.ParseFailed, fetch.Outcome);
        Assert.Contains(missing, fetch.Error, StringComparison.Ordinal);
        Assert.Empty(fetch.Rows);
    }

    [Theory]
    [InlineData("<html><body><p>No data today</p></body></html>", "no <table>")]
    [InlineData("", "empty")]
    public void Page_without_a_table_fails_clearly(string html, string expected)
    {
        var result = FarsideHtmlParser.Parse(html);
        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_with_header_but_no_dated_rows_fails()
    {
        var html = FlowsFixtures.Read("farside_quirks.html");
        var start = html.IndexOf("<tbody>", StringComparison.Ordinal);
        var end = html.IndexOf("</tbody>", StringComparison.Ordinal);
        var result = FarsideHtmlParser.Parse(html[..(start + 7)] + html[end..]);
        Assert.False(result.Succeeded);
        Assert.Contains("no dated rows", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_cell_skips_only_that_row_with_a_warning()
    {
        var html = FlowsFixtures.Read("farside_quirks.html").Replace(">310.4<", ">31O.4<", StringComparison.Ordinal);
        var result = FarsideHtmlParser.Parse(html);
        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Rows, r => r.Date == new DateOnly(2026, 2, 10));
        Assert.Contains(result.Warnings, w => w.Contains("2026-02-10", StringComparison.Ordinal) && w.Contains("IBIT", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1,205.2", 1205.2)]
    [InlineData("(1,113.7)", -1113.7)]
    [InlineData("(44.5)", -44.5)]
    [InlineData(" 0.0 ", 0.0)]
    [InlineData("12", 12.0)]
    public void Cells_parse(string text, double expected)
    {
        Assert.True(FarsideHtmlParser.TryParseCell(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("\u00A0")]
    public void Dash_and_blank_cells_are_null(string text)
    {
        Assert.True(FarsideHtmlParser.TryParseCell(text, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("n/a")]
    [InlineData("((1))")]
    [InlineData("(-5)")]
    public void Garbage_cells_do_not_parse(string text) => Assert.False(FarsideHtmlParser.TryParseCell(text, out _));
}
