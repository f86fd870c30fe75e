using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// CME open interest in BTC from COT rows: the latest report, contracts × BTC per contract, the change against the
/// report before it (like for like) or the report's own change column, and the exact notes that say what was assumed.
/// </summary>
public sealed class CftcCotComputeTests
{
    private const string Btc = CftcCot.BitcoinCode;
    private const string Micro = CftcCot.MicroBitcoinCode;

    private static readonly DateOnly Jan23 = new(2024, 1, 23);
    private static readonly DateOnly Jan30 = new(2024, 1, 30);
    private static readonly DateOnly Feb6 = new(2024, 2, 6);

    private static CotRow Row(DateOnly date, string code, long oi, long? change = null, DateOnly? expiry = null) => new(date, code, oi, change, code == Btc ? "BITCOIN" : "MICRO BITCOIN", expiry);

    [Fact]
    public void No_rows_are_no_reading() => Assert.Null(CftcCot.Compute([]));

    [Fact]
    public void Rows_of_other_contracts_alone_are_no_reading() => Assert.Null(CftcCot.Compute([Row(Feb6, "088691", 500_000)]));

    [Fact]
    public void Rows_of_other_contracts_are_left_out_of_the_reading()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 100), Row(Feb6, "088691", 500_000), Row(Feb6, Micro, 1_000)])!;

        Assert.Equal(new Dictionary<string, long> { [Btc] = 100, [Micro] = 1_000 }, cme.Contracts);
        Assert.Equal(600m, cme.OpenInterestBtc); // 100 × 5 + 1,000 × 0.1
    }

    [Fact]
    public void A_micro_contract_is_a_tenth_of_a_bitcoin()
    {
        var cme = CftcCot.Compute([Row(Feb6, Micro, 1_234)])!;

        Assert.Equal(123.4m, cme.OpenInterestBtc);
        Assert.Equal(["133741 missing from the 2024-02-06 report"], cme.Notes);
    }

    [Fact]
    public void The_latest_report_is_read_whatever_the_order_of_the_rows()
    {
        var rows = new[] { Row(Jan30, Btc, 200), Row(Feb6, Btc, 300), Row(Jan23, Btc, 100), Row(Feb6, Micro, 10), Row(Jan30, Micro, 20), Row(Jan23, Micro, 30) };

        var cme = CftcCot.Compute(rows)!;

        Assert.Equal(Feb6, cme.ReportDate);
        Assert.Equal(1_501m, cme.OpenInterestBtc);          // 300 × 5 + 10 × 0.1
        Assert.Equal(Jan30, cme.PreviousReportDate);         // the report before it, not the oldest
        Assert.Equal(499m, cme.ChangeBtc);                   // (300 − 200) × 5 + (10 − 20) × 0.1
        Assert.Empty(cme.Notes);
        Assert.Equal(cme.ChangeBtc, CftcCot.Compute(Enumerable.Reverse(rows))!.ChangeBtc);
    }

    [Fact]
    public void Expiries_of_one_contract_are_summed_and_the_same_count_in_two_expiries_is_not_a_repeat()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 100, expiry: new DateOnly(2024, 2, 23)), Row(Feb6, Btc, 100, expiry: new DateOnly(2024, 3, 29)), Row(Feb6, Micro, 0)])!;

        Assert.Equal(200L, cme.Contracts[Btc]);
        Assert.Equal(1_000m, cme.OpenInterestBtc);
    }

    [Fact]
    public void A_repeated_row_is_counted_once_without_a_note()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 100), Row(Feb6, Btc, 100), Row(Feb6, Micro, 10)])!;

        Assert.Equal(100L, cme.Contracts[Btc]);
        Assert.Empty(cme.Notes);
    }

    [Fact]
    public void Of_conflicting_rows_the_first_is_kept_and_the_conflict_noted_before_a_missing_contract()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 100), Row(Feb6, Btc, 90), Row(Feb6, Btc, 80)])!;

        Assert.Equal(500m, cme.OpenInterestBtc);
        Assert.Equal(
            [
                "conflicting rows for 133741 on 2024-02-06: 100 kept, 90 ignored",
                "conflicting rows for 133741 on 2024-02-06: 100 kept, 80 ignored",
                "133742 missing from the 2024-02-06 report",
            ],
            cme.Notes);
    }

    [Fact]
    public void A_contract_new_in_the_latest_report_leaves_the_change_like_for_like()
    {
        var cme = CftcCot.Compute([Row(Jan30, Btc, 1_000), Row(Feb6, Btc, 1_010), Row(Feb6, Micro, 5_000)])!;

        Assert.Equal(50m, cme.ChangeBtc); // (1,010 − 1,000) × 5; not + 500 BTC of micro contracts
        Assert.Equal(Jan30, cme.PreviousReportDate);
        Assert.Equal(["change over 133741 only (like for like)"], cme.Notes);
    }

    [Fact]
    public void A_contract_gone_from_the_latest_report_leaves_the_change_like_for_like()
    {
        var cme = CftcCot.Compute([Row(Jan30, Btc, 1_000), Row(Jan30, Micro, 5_000), Row(Feb6, Btc, 990)])!;

        Assert.Equal(-50m, cme.ChangeBtc);
        Assert.Equal(["133742 missing from the 2024-02-06 report", "change over 133741 only (like for like)"], cme.Notes);
    }

    [Fact]
    public void Reports_with_no_contract_in_common_have_no_change()
    {
        var cme = CftcCot.Compute([Row(Jan30, Micro, 5_000), Row(Feb6, Btc, 990)])!;

        Assert.Equal(Feb6, cme.ReportDate);
        Assert.Equal(4_950m, cme.OpenInterestBtc);
        Assert.Null(cme.ChangeBtc);
        Assert.Equal(Jan30, cme.PreviousReportDate);
        Assert.Equal(["133742 missing from the 2024-02-06 report"], cme.Notes);
    }

    [Fact]
    public void A_single_report_takes_its_own_change_column_against_the_week_before()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 20_897, 218), Row(Feb6, Micro, 16_080, -4_071)])!;

        Assert.Equal(682.9m, cme.ChangeBtc); // 218 × 5 − 4,071 × 0.1
        Assert.Equal(Jan30, cme.PreviousReportDate);
        Assert.Equal(["change from the report's own 'Change in Open Interest' column"], cme.Notes);
    }

    [Fact]
    public void A_single_report_with_a_row_lacking_its_change_has_no_change()
    {
        var cme = CftcCot.Compute([Row(Feb6, Btc, 20_897, 218), Row(Feb6, Micro, 16_080)])!;

        Assert.Equal(106_093m, cme.OpenInterestBtc);
        Assert.Null(cme.ChangeBtc);
        Assert.Null(cme.PreviousReportDate);
        Assert.Empty(cme.Notes);
    }

    [Fact]
    public void A_single_report_of_the_calendar_s_eighth_day_has_the_first_day_as_its_week_before()
    {
        Assert.Equal(DateOnly.FromDayNumber(0), CftcCot.Compute([Row(DateOnly.FromDayNumber(7), Btc, 1, 1)])!.PreviousReportDate);
        Assert.Null(CftcCot.Compute([Row(DateOnly.FromDayNumber(6), Btc, 1, 1)])!.PreviousReportDate);
    }

    [Fact]
    public void Open_interest_beyond_a_long_is_refused_naming_the_report_date()
    {
        var latest = new DateOnly(2026, 1, 6);
        var previous = new DateOnly(2025, 12, 30);

        var ofLatest = Assert.Throws<VenueFormatException>(() => CftcCot.Compute([Row(latest, Btc, long.MaxValue, expiry: latest.AddDays(10)), Row(latest, Btc, 1, expiry: latest.AddDays(40))]));
        var ofPrevious = Assert.Throws<VenueFormatException>(() => CftcCot.Compute([Row(latest, Btc, 1), Row(previous, Micro, long.MaxValue, expiry: previous.AddDays(10)), Row(previous, Micro, long.MaxValue, expiry: previous.AddDays(40))]));

        Assert.Equal("cftc: open interest of 2026-01-06 is out of range", ofLatest.Message);
        Assert.Equal("cftc: open interest of 2025-12-30 is out of range", ofPrevious.Message);
    }
}
