using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Flows;

public sealed class EtfFlowImportTests
{
    [Fact]
    public void Csv_import_reads_blanks_as_not_reported_skips_holiday_rows_and_bad_lines()
    {
        var fetch = EtfFlowFile.Parse(FlowsFixtures.Read("flows_quirks.csv"), EtfFlowFileFormat.Csv, "file:flows_quirks.csv");
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Contains(fetch.Warnings, w => w.Contains("line 6", StringComparison.Ordinal) && w.Contains("IBIT", StringComparison.Ordinal));

        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), TradingCalendar.Default);
        Assert.Equal(
            [new DateOnly(2025, 12, 23), new DateOnly(2025, 12, 24), new DateOnly(2025, 12, 26), new DateOnly(2025, 12, 30)],
            plan.Sessions.Select(s => s.Session.Date));
        Assert.Equal([new DateOnly(2025, 12, 25)], plan.NotSessions);
        var dec26 = plan.Sessions[2];
        Assert.Null(dec26.Session.Funds["GBTC"]);
        Assert.Equal(["GBTC"], dec26.LateFunds);
        Assert.Equal(-43.0m, dec26.Session.TotalUsdM);
        Assert.Equal(SessionStatus.Final, dec26.Session.Status);
        Assert.All(plan.Sessions, s => Assert.Equal("file:flows_quirks.csv", s.Session.Source));
    }

    [Fact]
    public async Task Unsupported_extension_is_refused()
    {
        var fetch = await EtfFlowFile.ReadAsync("flows.xlsx", CancellationToken.None);
        Assert.Equal(SourceOutcome.ParseFailed, fetch.Outcome);
        Assert.Contains(".csv", fetch.Error, StringComparison.Ordinal);
    }

    /// <summary>The CLI's dry run reads its file synchronously (start-up): the same outcome, rows, warnings and errors.</summary>
    [Theory]
    [InlineData("farside_quirks.html")]
    [InlineData("farside_challenge.html")]
    [InlineData("farside_no_total.html")]
    [InlineData("flows_quirks.csv")]
    [InlineData("flows.xlsx")]
    [InlineData("missing.csv")]
    public async Task Read_gives_what_ReadAsync_gives(string name)
    {
        var path = name == "flows.xlsx" ? name : FlowsFixtures.Path(name);
        var expected = await EtfFlowFile.ReadAsync(path, CancellationToken.None);
        var actual = EtfFlowFile.Read(path);

        Assert.Equal((expected.Source, expected.Outcome, expected.Error), (actual.Source, actual.Outcome, actual.Error));
        Assert.Equal(expected.Warnings, actual.Warnings);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(expected.Rows),
            System.Text.Json.JsonSerializer.Serialize(actual.Rows));
    }

    [Fact]
    public void SoSoValue_answer_becomes_total_only_rows_in_millions()
    {
        var query = new EtfFlowQuery(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 17));
        var fetch = SoSoValueResponse.Parse(FlowsFixtures.Read("sosovalue_history.json"), query);
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.True(fetch.TotalsOnly);
        Assert.Equal(
            [(new DateOnly(2026, 2, 11), -153m), (new DateOnly(2026, 2, 12), -55.066297m), (new DateOnly(2026, 2, 13), 48.5m), (new DateOnly(2026, 2, 17), 2100.012345m)],
            fetch.Rows.Select(r => (r.Date, r.TotalUsdM!.Value)).ToList());
        Assert.All(fetch.Rows, r => Assert.Empty(r.Funds));
        Assert.Contains(fetch.Warnings, w => w.Contains("2026-02-10", StringComparison.Ordinal)); // no totalNetInflow
    }

    [Theory]
    [InlineData("{\"code\":1,\"msg\":\"rate limited\",\"data\":null}", SourceOutcome.Failed, "rate limited")]
    [InlineData("{\"code\":0,\"data\":{}}", SourceOutcome.ParseFailed, "data.list")]
    [InlineData("<html>Just a moment</html>", SourceOutcome.ParseFailed, "not JSON")]
    [InlineData("{\"msg\":\"x\"}", SourceOutcome.ParseFailed, "'code'")]
    public void SoSoValue_errors_are_outcomes_with_reasons(string body, SourceOutcome outcome, string reason)
    {
        var fetch = SoSoValueResponse.Parse(body, new EtfFlowQuery(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
        Assert.Equal(outcome, fetch.Outcome);
        Assert.Contains(reason, fetch.Error, StringComparison.Ordinal);
        Assert.Empty(fetch.Rows);
    }
}
