using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Tests.Weekly;

public sealed class WeeklyReportParserTests
{
    private static WeeklyReportFigures Parse(string text)
    {
        var figures = WeeklyReportParser.Parse(text, out var error);
        Assert.True(figures is not null, error);
        return figures;
    }

    [Theory]
    [InlineData("Digital asset investment products saw outflows totalling US$1.17bn last week.", -1_170_000_000L)]
    [InlineData("Digital asset investment products saw inflows of US$2.2bn last week.", 2_200_000_000L)]
    [InlineData("Digital asset investment products saw minor outflows totalling US$20m.", -20_000_000L)]
    [InlineData("Digital asset investment products saw a fourth consecutive week of outflows, totalling US$173m.", -173_000_000L)]
    [InlineData("Digital asset investment products saw US$1.94bn of outflows last week.", -1_940_000_000L)]
    [InlineData("Digital asset investment products saw inflows for a third consecutive week, totalling US$3.17bn.", 3_170_000_000L)]
    [InlineData("Crypto ETPs saw net outflows of USD 423m last week.", -423_000_000L)]
    [InlineData("Digital asset investment products saw outflows of US$ 1.2 billion.", -1_200_000_000L)]
    [InlineData("Digital asset funds saw inflows of $932 million last week.", 932_000_000L)]
    [InlineData("Digital asset investment products saw minor inflows of US$500k.", 500_000L)]
    [InlineData("Digital asset investment products saw redemptions of US$1,250m.", -1_250_000_000L)]
    [InlineData("Flows were mixed last week. Net outflows totalled US$62m.", -62_000_000L)]
    public void Global_total_takes_its_sign_from_the_words(string text, long expected)
    {
        Assert.Equal(expected, Parse(text).TotalUsd);
    }

    [Theory]
    [InlineData("US$1.17bn", 1_170_000_000L)]
    [InlineData("US$946m", 946_000_000L)]
    [InlineData("US$0.3m", 300_000L)]
    [InlineData("US$450k", 450_000L)]
    [InlineData("$5.95 billion", 5_950_000_000L)]
    [InlineData("USD 423m", 423_000_000L)]
    [InlineData("US$1,205.2m", 1_205_200_000L)]
    [InlineData("US$150,000", 150_000L)]
    public void Amounts_in_bn_m_k(string text, long expected)
    {
        Assert.True(WeeklyReportParser.TryParseAmount(text, out var usd));
        Assert.Equal(expected, usd);
    }

    [Fact]
    public void A_figure_with_no_flow_word_is_left_out()
    {
        var f = Parse("Digital asset investment products saw outflows totalling US$1bn. Ethereum saw outflows of US$589m and Solana US$156m.");
        Assert.Equal(-589_000_000L, f.Assets["Ethereum"]);
        Assert.False(f.Assets.ContainsKey("Solana"));
    }

    [Fact]
    public void Unstated_assets_and_regions_are_absent_not_zero()
    {
        var f = Parse("Digital asset investment products saw inflows of US$50m last week.");
        Assert.Empty(f.Assets);
        Assert.Empty(f.Regions);
        Assert.Null(f.AumUsd);
    }

    [Fact]
    public void Respectively_lists_pair_names_and_figures_in_order_with_mixed_words()
    {
        var f = Parse("Digital asset investment products saw outflows of US$1bn. Germany and the US saw inflows and outflows of US$41m and US$1.2bn respectively.");
        Assert.Equal(41_000_000L, f.Regions["Germany"]);
        Assert.Equal(-1_200_000_000L, f.Regions["United States"]);
    }

    [Theory]
    [InlineData("Europe and Canada saw inflows of US$230m.")]
    [InlineData("Canada and Europe saw inflows of US$230m.")]
    [InlineData("Canada, Switzerland and Europe saw inflows of US$1m, US$2m and US$3m respectively.")]
    [InlineData("Canada and Switzerland saw inflows of US$230m.")]
    public void Figures_shared_with_another_name_are_not_attributed(string sentence)
    {
        var f = Parse("Digital asset investment products saw outflows of US$173m. " + sentence);
        Assert.False(f.Regions.ContainsKey("Canada"));
        Assert.False(f.Regions.ContainsKey("Switzerland"));
    }

    [Fact]
    public void A_country_qualifying_the_subject_is_that_country_not_the_global_total()
    {
        var f = Parse("US digital asset funds saw outflows of US$403m last week. Digital asset investment products saw their fourth consecutive week of outflows, totalling US$173m.");
        Assert.Equal(-403_000_000L, f.Regions["United States"]);
        Assert.Equal(-173_000_000L, f.TotalUsd);
    }

    [Theory]
    [InlineData("Bitcoin saw inflows of US$1.2bn year-to-date.")]
    [InlineData("Bitcoin has seen inflows of US$1.2bn so far this year.")]
    [InlineData("Bitcoin saw outflows of US$3.7bn over the past four weeks.")]
    [InlineData("Bitcoin saw outflows, bringing month-to-date outflows to US$1.4bn.")]
    [InlineData("Bitcoin has seen US$12bn of inflows since the start of the year.")]
    public void Cumulative_figures_are_not_the_week(string sentence)
    {
        var f = Parse("Digital asset investment products saw outflows of US$360m last week. " + sentence);
        Assert.False(f.Assets.ContainsKey("Bitcoin"), string.Join(", ", f.Assets));
    }

    [Fact]
    public void Short_bitcoin_is_not_bitcoin_and_the_first_statement_wins()
    {
        var f = Parse("Digital asset investment products saw outflows of US$1bn. Short-bitcoin saw inflows of US$11.8m, while Bitcoin saw outflows of US$932m. Bitcoin saw outflows of US$5m on Friday alone.");
        Assert.Equal(11_800_000L, f.Assets["Short-bitcoin"]);
        Assert.Equal(-932_000_000L, f.Assets["Bitcoin"]);
    }

    [Fact]
    public void Us_dollar_signs_and_us_dots_are_not_the_united_states()
    {
        var f = Parse("Digital asset investment products saw outflows totalling US$1.17bn, while the U.S. saw outflows of US$1.22bn.");
        Assert.Equal(-1_170_000_000L, f.TotalUsd);
        Assert.Equal(-1_220_000_000L, f.Regions["United States"]);
        Assert.Single(f.Regions);
    }

    [Theory]
    [InlineData("Total assets under management (AuM) fell to US$240bn.", 240_000_000_000L)]
    [InlineData("Total AuM fell from US$264bn to US$240bn.", 240_000_000_000L)]
    [InlineData("This pushed total AuM to a new high of US$254bn.", 254_000_000_000L)]
    public void Aum_when_stated(string sentence, long expected)
    {
        var f = Parse("Digital asset investment products saw inflows of US$1bn. " + sentence);
        Assert.Equal(expected, f.AumUsd);
    }

    [Fact]
    public void Per_asset_aum_is_not_the_total()
    {
        var f = Parse("Digital asset investment products saw inflows of US$1bn. Total Bitcoin AuM rose to US$150bn.");
        Assert.Null(f.AumUsd);
    }

    [Fact]
    public void No_total_means_no_week()
    {
        Assert.Null(WeeklyReportParser.Parse("Bitcoin saw outflows of US$932m. Prices fell.", out var error));
        Assert.Contains("no global total", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2025, 11, 10, 2025, 11, 7)] // Monday report → the Friday before
    [InlineData(2025, 11, 11, 2025, 11, 7)] // Tuesday (after a holiday) → same week
    [InlineData(2025, 11, 14, 2025, 11, 7)] // a Friday publication covers the previous Friday's week
    [InlineData(2025, 11, 15, 2025, 11, 14)] // Saturday → the day before
    [InlineData(2026, 1, 5, 2026, 1, 2)] // across the year end
    public void Week_ending_is_the_last_Friday_before_publication(int y, int m, int d, int fy, int fm, int fd)
    {
        Assert.Equal(new DateOnly(fy, fm, fd), WeeklyReport.WeekEndingFor(new DateOnly(y, m, d)));
    }

    [Theory]
    [InlineData("Mon, 10 Nov 2025 09:45:12 +0000", "2025-11-10T09:45:12Z")]
    [InlineData("Mon, 8 Sep 2025 10:15:00 GMT", "2025-09-08T10:15:00Z")]
    [InlineData("Sun, 09 Nov 2025 22:30:00 -0500", "2025-11-10T03:30:00Z")]
    [InlineData("2025-10-06T09:31:05+01:00", "2025-10-06T08:31:05Z")]
    public void Feed_dates(string text, string expectedUtc)
    {
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), CoinSharesFeed.ParseDate(text));
    }

    [Theory]
    [InlineData("2026-12-02", "2026-11-27")] // a Wednesday: the Friday before
    [InlineData("2026-11-27", "2026-11-20")] // a Friday: not yet its own week, the one before
    [InlineData("2026-11-28", "2026-11-27")] // the Saturday after
    public void A_run_expects_the_week_ending_on_the_last_Friday_before_today(string today, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WeeklyReport.ExpectedWeekEnding(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
}
