using Tapewatch.Core.Derivatives;
using Tapewatch.TestSupport;
using Tapewatch.Tests.Fuzz;

namespace Tapewatch.Tests.Derivatives;

public sealed class CftcCotTests
{
    [Fact]
    public void Real_cftc_rows_with_padded_numbers_and_codes_give_cme_open_interest_in_btc()
    {
        var rows = CftcCot.ParseCsv(File.ReadAllText(TestPaths.DataFile("cftc", "cftc_legacy_futonly_2024_bitcoin_rows.csv")));
        Assert.Equal(12, rows.Count); // 6 weeks × 2 contracts
        Assert.All(rows, r => Assert.DoesNotContain(' ', r.Code));

        var cme = CftcCot.Compute(rows);
        Assert.NotNull(cme);
        Assert.Equal(new DateOnly(2024, 2, 6), cme.ReportDate);
        Assert.Equal(20897L, cme.Contracts["133741"]);
        Assert.Equal(16080L, cme.Contracts["133742"]);
        Assert.Equal(106093m, cme.OpenInterestBtc); // 20,897 × 5 + 16,080 × 0.1
        Assert.Equal(new DateOnly(2024, 1, 30), cme.PreviousReportDate);
        Assert.Equal(1497.1m, cme.ChangeBtc);      // (20,897 − 20,679) × 5 + (16,080 − 12,009) × 0.1
        Assert.Empty(cme.Notes);

        // The report's own change column agrees.
        var latest = rows.Where(r => r.ReportDate == cme.ReportDate).DistinctBy(r => r.Code).ToList();
        Assert.Equal(cme.ChangeBtc, latest.Sum(r => r.ChangeInOpenInterest!.Value * CftcCot.BtcPerContract[r.Code]));
    }

    [Fact]
    public void Each_real_row_is_the_cell_at_its_report_date_and_contract_code()
    {
        var csv = File.ReadAllText(TestPaths.DataFile("cftc", "cftc_legacy_futonly_2024_bitcoin_rows.csv"));
        var rows = CftcCot.ParseCsv(csv);
        var claims = rows.Select(r => new RowClaim($"{TableOracle.Key(r.ReportDate)}|{r.Code}", [("Open Interest (All)", r.OpenInterest), ("Change in Open Interest (All)", r.ChangeInOpenInterest)])).ToList();

        var verdict = TableOracle.Check(TableOracle.FromCftcCsv(csv, "As of Date in Form YYYY-MM-DD", "CFTC Contract Market Code"), claims);

        Assert.Empty(verdict.Violations);
        Assert.Equal(24, verdict.CheckedValues); // 12 rows × (open interest, change)
    }

    [Fact]
    public void Repeated_rows_are_counted_once_and_conflicts_are_noted()
    {
        var d = new DateOnly(2024, 2, 6);
        var cme = CftcCot.Compute([new CotRow(d, "133741", 20_897, null, "B"), new CotRow(d, "133741", 20_897, null, "B"), new CotRow(d, "133742", 16_080, null, "M"), new CotRow(d, "133742", 99, null, "M")])!;
        Assert.Equal(106_093m, cme.OpenInterestBtc);
        Assert.Single(cme.Notes, n => n.Contains("conflicting rows for 133742", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_interest_summed_across_expiries_makes_a_roll_week_not_a_bleed()
    {
        // Roll week: the front month (Jan) goes from 9,000 to 1,000 contracts as positions move to Feb.
        // Front-month OI would read −89 %; across expiries the market barely moved.
        var before = new DateOnly(2024, 1, 23);
        var after = new DateOnly(2024, 1, 30);
        var rows = new[]
        {
            new CotRow(before, "133741", 9_000, null, "BITCOIN", new DateOnly(2024, 1, 26)),
            new CotRow(before, "133741", 3_000, null, "BITCOIN", new DateOnly(2024, 2, 23)),
            new CotRow(before, "133742", 10_000, null, "MICRO BITCOIN", new DateOnly(2024, 1, 26)),
            new CotRow(after, "133741", 1_000, null, "BITCOIN", new DateOnly(2024, 1, 26)),
            new CotRow(after, "133741", 11_200, null, "BITCOIN", new DateOnly(2024, 2, 23)),
            new CotRow(after, "133742", 2_000, null, "MICRO BITCOIN", new DateOnly(2024, 1, 26)),
            new CotRow(after, "133742", 8_100, null, "MICRO BITCOIN", new DateOnly(2024, 2, 23)),
        };
        var cme = CftcCot.Compute(rows);
        Assert.NotNull(cme);
        Assert.Equal(62_010m, cme.OpenInterestBtc);   // 12,200 × 5 + 10,100 × 0.1
        Assert.Equal(1_010m, cme.ChangeBtc);          // (12,200 − 12,000) × 5 + (10,100 − 10,000) × 0.1
        Assert.True(cme.ChangeBtc > 0);
    }

    [Fact]
    public void A_contract_missing_from_one_report_does_not_look_like_a_bleed()
    {
        var rows = new[]
        {
            new CotRow(new DateOnly(2024, 1, 23), "133741", 20_000, null, "BITCOIN"),
            new CotRow(new DateOnly(2024, 1, 23), "133742", 24_000, null, "MICRO BITCOIN"),
            new CotRow(new DateOnly(2024, 1, 30), "133741", 20_100, null, "BITCOIN"),
        };
        var cme = CftcCot.Compute(rows);
        Assert.NotNull(cme);
        Assert.Equal(500m, cme.ChangeBtc); // like for like: the standard contract only, not −2,400 + 500
        Assert.Contains(cme.Notes, n => n.Contains("133742 missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Socrata_json_is_read_and_trailing_spaces_in_codes_are_ignored()
    {
        var rows = CftcCot.ParseJson(File.ReadAllText(Fixtures.Path("cftc_resource_6dca-aqww_bitcoin.json")));
        Assert.Equal(4, rows.Count);
        var cme = CftcCot.Compute(rows)!;
        Assert.Equal(new DateOnly(2026, 1, 6), cme.ReportDate);
        Assert.Equal(123_000m, cme.OpenInterestBtc);
        Assert.Equal(2_300m, cme.ChangeBtc);
    }

    [Fact]
    public void A_single_report_uses_its_own_change_column()
    {
        var cme = CftcCot.Compute([new CotRow(new DateOnly(2024, 2, 6), "133741", 20_897, 218, "BITCOIN"), new CotRow(new DateOnly(2024, 2, 6), "133742", 16_080, 4_071, "MICRO")])!;
        Assert.Equal(1497.1m, cme.ChangeBtc);
        Assert.Equal(new DateOnly(2024, 1, 30), cme.PreviousReportDate);
    }

    [Fact]
    public void Malformed_csv_is_rejected_with_the_line()
    {
        var csv = "\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"\n\"BITCOIN\",2024-02-06,133741 ,   n/a\n";
        var ex = Assert.Throws<VenueFormatException>(() => CftcCot.ParseCsv(csv));
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }
}

internal static class Fixtures
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Derivatives");

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);
}
