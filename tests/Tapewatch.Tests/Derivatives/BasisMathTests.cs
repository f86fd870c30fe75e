using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.Tests.Derivatives;

public sealed class BasisMathTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 1, 13, 8, 0, 0, TimeSpan.Zero);

    private static FuturesQuote Quarterly(int year, int month, int day, decimal price) =>
        new($"BTC-{day}{month}", BasisMath.ExpiryUtc(new DateOnly(year, month, day)), price);

    [Fact]
    public void Annualised_basis_is_simple_yield_on_act_365()
    {
        // 1 % over 91.25 days = 4 % a year.
        Assert.Equal(4m, BasisMath.AnnualizedPct(101_000m, 100_000m, 91.25m));
        Assert.Equal(-2m, BasisMath.AnnualizedPct(99_500m, 100_000m, 91.25m));
    }

    [Fact]
    public void Day_count_uses_the_exact_expiry_time()
    {
        Assert.Equal(73m, BasisMath.DaysBetween(AsOf, BasisMath.ExpiryUtc(new DateOnly(2026, 3, 27))));
        Assert.Equal(72.4375m, BasisMath.DaysBetween(new DateTimeOffset(2026, 1, 13, 21, 30, 0, TimeSpan.Zero), BasisMath.ExpiryUtc(new DateOnly(2026, 3, 27))));
    }

    [Theory]
    [InlineData("2026-03-27", true)]
    [InlineData("2026-06-26", true)]
    [InlineData("2025-12-26", true)]
    [InlineData("2026-03-20", false)] // not the last Friday
    [InlineData("2026-01-30", false)] // monthly
    [InlineData("2026-03-26", false)] // Thursday
    public void Quarterlies_are_the_last_friday_of_a_quarter_month(string date, bool quarterly) =>
        Assert.Equal(quarterly, BasisMath.IsQuarterlyExpiry(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Constant_90_days_interpolates_between_the_quarterlies_around_it()
    {
        // Mar 27 is 73 days out: 102,000 / 100,000 → 2 % × 365/73 = 10 %.
        // Jun 26 is 164 days out: 104,000 / 100,000 → 4 % × 365/164 = 8.902439… %.
        // 90 days: 10 + (8.902439 − 10) × (90 − 73)/(164 − 73) = 10 − 0.205039 = 9.794961 %.
        var quotes = new[] { Quarterly(2026, 3, 27, 102_000m), Quarterly(2026, 6, 26, 104_000m), Quarterly(2026, 9, 25, 107_000m) };
        var result = BasisMath.ThreeMonth(quotes, 100_000m, AsOf, BasisMethod.Constant90);
        Assert.NotNull(result);
        Assert.Equal(9.794961m, Math.Round(result.AnnualizedPct, 6));
        Assert.Equal(90m, result.Days);
        Assert.Contains("interpolated", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Nearest_90_days_picks_the_closest_quarterly()
    {
        var quotes = new[] { Quarterly(2026, 3, 27, 102_000m), Quarterly(2026, 6, 26, 104_000m) };
        var result = BasisMath.ThreeMonth(quotes, 100_000m, AsOf, BasisMethod.Nearest90);
        Assert.NotNull(result);
        Assert.Equal(10m, result.AnnualizedPct);
        Assert.Equal(73m, result.Days);
    }

    [Fact]
    public void A_contract_past_expiry_or_inside_the_minimum_days_is_excluded()
    {
        // As of 22 Mar: Dec 25 is past expiry (its stale mark would give nonsense), Mar 27 is 5 days out
        // (below the 7-day minimum), so only Jun 26 (96 d) and Sep 25 (187 d) remain: no quarterly below 90 d,
        // so the nearest (Jun) is used.
        var asOf = new DateTimeOffset(2026, 3, 22, 8, 0, 0, TimeSpan.Zero);
        var quotes = new[] { Quarterly(2025, 12, 26, 50_000m), Quarterly(2026, 3, 27, 100_500m), Quarterly(2026, 6, 26, 102_400m), Quarterly(2026, 9, 25, 105_000m) };
        var result = BasisMath.ThreeMonth(quotes, 100_000m, asOf, BasisMethod.Constant90);
        Assert.NotNull(result);
        Assert.Equal(96m, result.Days);
        Assert.Equal(Math.Round(2.4m * 365m / 96m, 8), Math.Round(result.AnnualizedPct, 8)); // 9.125 %
        Assert.DoesNotContain("BTC-2612", result.Detail, StringComparison.Ordinal);
        Assert.Contains("nearest", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_quarterly_contracts_are_ignored_and_nothing_left_means_no_basis()
    {
        var quotes = new[] { new FuturesQuote("BTC-30JAN26", BasisMath.ExpiryUtc(new DateOnly(2026, 1, 30)), 100_800m) };
        Assert.Null(BasisMath.ThreeMonth(quotes, 100_000m, AsOf, BasisMethod.Constant90));
    }

    [Theory]
    [InlineData("27MAR26", 2026, 3, 27)]
    [InlineData("7MAR26", 2026, 3, 7)]
    [InlineData("26DEC25", 2025, 12, 26)]
    public void Parses_deribit_expiry_names(string text, int y, int m, int d) =>
        Assert.Equal(new DateOnly(y, m, d), BasisMath.ParseDeribitDate(text));

    [Fact]
    public void Parses_yymmdd_and_rejects_perpetual_suffixes()
    {
        Assert.Equal(new DateOnly(2026, 3, 27), BasisMath.ParseYymmdd("260327"));
        Assert.Null(BasisMath.ParseYymmdd("PERP"));
        Assert.Null(BasisMath.ParseDeribitDate("PERPETUAL"));
    }
}
