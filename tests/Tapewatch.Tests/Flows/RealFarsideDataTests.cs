using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Time;
using Tapewatch.TestSupport;
using Tapewatch.Tests.Fuzz;

namespace Tapewatch.Tests.Flows;

/// <summary>The real Farside markup and 2024–2026 history in tests/data/farside.</summary>
public sealed class RealFarsideDataTests
{
    private static readonly DateTimeOffset Later = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Real_page_parses_13_sessions_and_the_green_row_is_pending_not_zero()
    {
        var path = TestPaths.DataFile("farside", "farside_btc_2026-07-23_trimmed.html");
        var fetch = EtfFlowFile.Parse(File.ReadAllText(path), EtfFlowFileFormat.Html, "file");
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Empty(fetch.Warnings);
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Later, TradingCalendar.Default);

        Assert.Equal(14, fetch.Rows.Count); // 06–23 Jul 2026 (14 weekdays); trailer rows are not rows
        Assert.Equal(13, plan.Sessions.Count);
        Assert.Equal([new DateOnly(2026, 7, 23)], plan.NotSessions); // the green #99ff99 row: every fund "-", Total 0.0
        Assert.Equal(
            ["IBIT", "FBTC", "BITB", "ARKB", "BTCO", "EZBC", "BRRR", "HODL", "BTCW", "MSBT", "GBTC", "BTC"],
            plan.Sessions[0].Session.Funds.Keys);
        var first = plan.Sessions[0].Session;
        Assert.Equal((new DateOnly(2026, 7, 6), 265.7m, 209.4m, -44.5m), (first.Date, first.TotalUsdM, first.Funds["IBIT"]!.Value, first.Funds["GBTC"]!.Value));
        Assert.Equal(-424.7m, plan.Sessions.Single(s => s.Session.Date == new DateOnly(2026, 7, 13)).Session.TotalUsdM);
        AssertFundsSumToTotal(plan);
        Assert.All(plan.Sessions, s => Assert.True(TradingCalendar.Default.IsSession(s.Session.Date)));
    }

    /// <summary>
    /// The CSV has 579 dated rows. 16 of them are holiday rows (every fund blank, Total 0.0) that Farside kept
    /// until 2025-06-19 — 15 NYSE holidays plus the unscheduled closure of 2025-01-09 — and they are not
    /// sessions. So the file holds 579 − 16 = 563 sessions: exactly the NYSE sessions from 2024-01-11 to
    /// 2026-04-10, with no gap. (The "579 sessions" counts the file's rows, holiday rows included.)
    /// </summary>
    [Fact]
    public void Real_csv_has_579_rows_of_which_16_holiday_rows_so_563_sessions()
    {
        var path = TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv");
        var fetch = EtfFlowFile.Parse(File.ReadAllText(path), EtfFlowFileFormat.Csv, "file");
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Empty(fetch.Warnings);
        Assert.Equal(579, fetch.Rows.Count);

        var calendar = TradingCalendar.Default;
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Later, calendar);
        Assert.Equal(16, plan.NotSessions.Count);
        Assert.Equal(563, plan.Sessions.Count);
        Assert.Empty(plan.Warnings); // no flows on a day the calendar says was closed

        Assert.All(plan.NotSessions, d => Assert.True(calendar.IsHoliday(d), $"{d} is a holiday row but not a holiday"));
        Assert.Contains(new DateOnly(2025, 1, 9), plan.NotSessions);
        Assert.True(plan.NotSessions.Max() <= new DateOnly(2025, 6, 19));
        Assert.All(fetch.Rows.Where(r => !r.IsSession), r => Assert.Equal(0.0m, r.TotalUsdM));

        var expected = calendar.Sessions(new DateOnly(2024, 1, 11), new DateOnly(2026, 4, 10)).ToList();
        Assert.Equal(expected, plan.Sessions.Select(s => s.Session.Date));
        AssertFundsSumToTotal(plan);

        // New fund column: MSBT reports from 2026-04-08; before that it is "not reported", never late.
        Assert.All(plan.Sessions.Where(s => s.Session.Date < new DateOnly(2026, 4, 8)), s => Assert.Null(s.Session.Funds["MSBT"]));
        Assert.DoesNotContain(plan.Sessions.Where(s => s.Session.Date < new DateOnly(2026, 4, 8)), s => s.LateFunds.Contains("MSBT"));
        var last = plan.Sessions[^1];
        Assert.Equal((new DateOnly(2026, 4, 10), 240.4m), (last.Session.Date, last.Session.TotalUsdM));
        Assert.Equal(["MSBT"], last.LateFunds); // reported on 8 and 9 Apr, "-" on the 10th: the revision to 256.7 came later
        Assert.Equal(SessionStatus.Final, last.Session.Status); // the cut-off passed long ago
    }

    [Fact]
    public void Each_value_of_the_real_page_is_the_cell_at_its_date_row_and_fund_column()
    {
        var html = File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_2026-07-23_trimmed.html"));
        var verdict = TableOracle.Check(TableOracle.FromHtml(html), Claims(FarsideHtmlParser.Parse(html).Rows));

        Assert.Empty(verdict.Violations);
        Assert.Equal(14 * 13, verdict.CheckedValues); // 14 dated rows × (12 funds + Total)
    }

    [Fact]
    public void Each_value_of_the_real_csv_is_the_cell_at_its_date_row_and_fund_column()
    {
        var csv = File.ReadAllText(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var verdict = TableOracle.Check(TableOracle.FromFlowsCsv(csv), Claims(FlowsCsvReader.Parse(new StringReader(csv)).Rows));

        Assert.Empty(verdict.Violations);
        Assert.Equal(579 * 13, verdict.CheckedValues); // 579 dated rows × (12 funds + Total)
    }

    private static List<RowClaim> Claims(IReadOnlyList<EtfFlowRow> rows) =>
        rows.Select(r => new RowClaim(TableOracle.Key(r.Date), [.. r.Funds.Select(f => (f.Key, f.Value)), ("Total", r.TotalUsdM)])).ToList();

    private static void AssertFundsSumToTotal(EtfSessionPlan plan) =>
        Assert.All(plan.Sessions, s =>
        {
            var sum = s.Session.Funds.Values.Sum(v => v ?? 0m);
            Assert.True(Math.Abs(sum - s.Session.TotalUsdM) <= 0.1m, $"{s.Session.Date}: funds sum to {sum}, total {s.Session.TotalUsdM}");
        });
}
