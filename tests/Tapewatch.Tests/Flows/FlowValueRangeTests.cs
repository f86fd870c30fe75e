using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Storage;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// Bugs the parser fuzzer found where parsed flows meet arithmetic (inputs in Fuzz/Corpus): a value beyond US$1 trillion
/// overflowed the conversion to whole USD when the session was stored; a session dated 31 Dec 9999 overflowed its
/// cut-off. Both are now handled where they arise: the row is skipped with a warning, the date has no cut-off.
/// </summary>
public sealed class FlowValueRangeTests
{
    private const string Huge = "9223372036854775808";
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What ingestion does with the rows: plan the sessions and make each one's table entity.</summary>
    private static EtfSessionPlan Store(EtfFlowFetch fetch)
    {
        var plan = EtfFlowsIngestionService.DryRun(fetch, SessionStatusPolicy.Default, Now, TradingCalendar.Default);
        foreach (var s in plan.Sessions) EtfSessionStore.ToEntity(s.Session);
        return plan;
    }

    [Fact]
    public void Farside_cell_beyond_a_trillion_dollars_skips_its_row_instead_of_overflowing_whole_usd()
    {
        var html = FlowsFixtures.Read("farside_quirks.html").Replace(">1,205.2<", ">" + Huge + "<", StringComparison.Ordinal);

        var fetch = EtfFlowFile.Parse(html, EtfFlowFileFormat.Html, "file");

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.DoesNotContain(fetch.Rows, r => r.Date == new DateOnly(2026, 2, 9));
        Assert.Contains(fetch.Warnings, w => w.StartsWith("2026-02-09: IBIT value '9223372036854775808' is not a number (or beyond ±1000000 US$m)", StringComparison.Ordinal));
        var plan = Store(fetch);
        Assert.Equal(7, plan.Sessions.Count + plan.NotSessions.Count); // 8 dated rows, one skipped
    }

    [Fact]
    public void Csv_cell_beyond_a_trillion_dollars_skips_its_row_instead_of_overflowing_whole_usd()
    {
        var csv = FlowsFixtures.Read("flows_quirks.csv").Replace("2025-12-23,100.5,", "2025-12-23," + Huge + ",", StringComparison.Ordinal);

        var fetch = EtfFlowFile.Parse(csv, EtfFlowFileFormat.Csv, "file");

        Assert.DoesNotContain(fetch.Rows, r => r.Date == new DateOnly(2025, 12, 23));
        Assert.Contains(fetch.Warnings, w => w.StartsWith("line 2: IBIT value", StringComparison.Ordinal));
        Assert.NotEmpty(Store(fetch).Sessions);
    }

    [Fact]
    public void Csv_cell_of_exactly_a_trillion_dollars_is_still_read()
    {
        var fetch = EtfFlowFile.Parse("date,IBIT,Total\n2025-12-23,1000000,(1000000)\n", EtfFlowFileFormat.Csv, "file");
        var row = Assert.Single(fetch.Rows);
        Assert.Equal((1_000_000m, -1_000_000m), (row.Funds["IBIT"], row.TotalUsdM));
        Assert.Equal(-1_000_000_000_000L, EtfSessionStore.ToEntity(Store(fetch).Sessions[0].Session).GetInt64("TotalUsd"));
    }

    [Fact]
    public void SoSoValue_total_beyond_a_trillion_dollars_is_skipped_instead_of_overflowing_whole_usd()
    {
        var json = FlowsFixtures.Read("sosovalue_history.json").Replace("48500000.0000000000000000", Huge, StringComparison.Ordinal);

        var fetch = SoSoValueSource.Parse(json, new EtfFlowQuery(DateOnly.MinValue, DateOnly.MaxValue));

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.DoesNotContain(fetch.Rows, r => r.Date == new DateOnly(2026, 2, 13));
        Assert.Contains(fetch.Warnings, w => w.StartsWith("2026-02-13: 'totalNetInflow' 9223372036854775808 is beyond", StringComparison.Ordinal));
        Assert.NotEmpty(Store(fetch).Sessions);
    }

    [Fact]
    public void A_session_dated_31_december_9999_has_no_cutoff_instead_of_an_ArgumentOutOfRangeException()
    {
        Assert.Equal(DateTimeOffset.MaxValue, SessionStatusPolicy.Default.CutoffUtc(DateOnly.MaxValue));
        Assert.Equal(new DateTimeOffset(2026, 2, 10, 14, 0, 0, TimeSpan.Zero), SessionStatusPolicy.Default.CutoffUtc(new DateOnly(2026, 2, 9)));

        var fetch = EtfFlowFile.Parse("date,IBIT,Total\n9999-12-31,1.0,1.0\n", EtfFlowFileFormat.Csv, "file");
        var session = Assert.Single(Store(fetch).Sessions);
        Assert.Equal(SessionStatus.Final, session.Session.Status); // its cut-off never comes, and no fund is late
    }
}
