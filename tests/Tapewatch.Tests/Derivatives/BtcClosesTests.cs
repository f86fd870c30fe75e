using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// BTC at the 16:00 New York close from Coinbase hourly candles: the request, each field of a candle
/// ([time s, low, high, open, close, volume]), every refusal's reason, the close of each session, and the request
/// windows of at most 300 candles.
/// </summary>
public sealed class BtcClosesTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    private static string Refusal(string json) => Assert.Throws<VenueFormatException>(() => BtcCloses.ParseCandles(json)).Message;

    // ---- Request ----

    [Fact]
    public void The_request_asks_for_hourly_candles_of_the_product_between_two_utc_times()
    {
        var options = new BtcCloseOptions();
        var request = BtcCloses.Request(options, new DateTimeOffset(2026, 1, 13, 15, 0, 0, TimeSpan.FromHours(-5)), Utc(2026, 1, 14, 21));

        Assert.Equal("coinbase", request.Venue);
        Assert.Equal(new Uri("https://api.exchange.coinbase.com"), request.BaseUrl);
        Assert.Equal("/products/BTC-USD/candles", request.Path);
        Assert.Equal("1h", request.Symbol);
        Assert.Equal(
            [
                new("granularity", "3600"),
                new("start", "2026-01-13T20:00:00Z"),
                new KeyValuePair<string, string>("end", "2026-01-14T21:00:00Z"),
            ],
            request.Query);
    }

    [Fact]
    public void The_request_uses_the_configured_product_and_host()
    {
        var options = new BtcCloseOptions { Product = "BTC-USDC", BaseUrl = new Uri("https://example.test/api") };

        var request = BtcCloses.Request(options, Utc(2026, 7, 14, 19), Utc(2026, 7, 14, 20));

        Assert.Equal(new Uri("https://example.test/api"), request.BaseUrl);
        Assert.Equal("/products/BTC-USDC/candles", request.Path);
        Assert.Equal("2026-07-14T19:00:00Z", request.Query.Single(q => q.Key == "start").Value);
    }

    [Fact]
    public void At_most_300_candles_come_back_per_request() => Assert.Equal(300, BtcCloses.MaxCandlesPerRequest);

    // ---- ParseCandles ----

    [Fact]
    public void Newest_first_candles_are_returned_oldest_first_with_the_close_column()
    {
        var candles = BtcCloses.ParseCandles(File.ReadAllText(Fixtures.Path("coinbase_products_BTC-USD_candles_1h.json")));

        Assert.Equal(
            [
                new BtcCloses.Candle(Utc(2026, 1, 12, 20), 94_100.0m),
                new BtcCloses.Candle(Utc(2026, 1, 13, 19), 94_980.1m),
                new BtcCloses.Candle(Utc(2026, 1, 13, 20), 95_123.45m),
                new BtcCloses.Candle(Utc(2026, 1, 13, 21), 95_210.0m),
            ],
            candles);
    }

    [Fact]
    public void An_empty_list_is_no_candles() => Assert.Empty(BtcCloses.ParseCandles("[]"));

    [Fact]
    public void A_candle_without_volume_is_read()
    {
        var candle = Assert.Single(BtcCloses.ParseCandles("[[1768334400,94823.45,95373.45,95073.45,95123.45]]"));
        Assert.Equal(new BtcCloses.Candle(Utc(2026, 1, 13, 20), 95_123.45m), candle);
    }

    [Fact]
    public void Times_and_closes_sent_as_strings_are_read_and_a_fractional_time_is_cut_to_the_second()
    {
        var candle = Assert.Single(BtcCloses.ParseCandles("""[["1768334400.7","1","2","3","95123.5","4"]]"""));
        Assert.Equal(new BtcCloses.Candle(Utc(2026, 1, 13, 20), 95_123.5m), candle);
    }

    [Fact]
    public void A_close_of_one_dollar_is_still_a_price() =>
        Assert.Equal(1m, Assert.Single(BtcCloses.ParseCandles("[[1768334400,1,1,1,1,0]]")).Close);

    [Theory]
    [InlineData("""{"message":"Invalid granularity"}""", "coinbase candles: Invalid granularity")]
    [InlineData("""{"message":""}""", "coinbase candles: error")]
    [InlineData("""{}""", "coinbase candles: error")]
    [InlineData("\"busy\"", "coinbase candles: expected a list, got String")]
    [InlineData("[[1768334400,1,2,3]]", "coinbase candles: expected [time, low, high, open, close, volume]")]
    [InlineData("[[1768334400,1,2,3,95000,1],{\"time\":1768334400}]", "coinbase candles: expected [time, low, high, open, close, volume]")]
    [InlineData("[1768334400]", "coinbase candles: expected [time, low, high, open, close, volume]")]
    [InlineData("[[null,1,2,3,95000,1]]", "coinbase candles: no time")]
    [InlineData("[[\"\",1,2,3,95000,1]]", "coinbase candles: no time")]
    [InlineData("[[1768334400,1,2,3,null,1]]", "coinbase candles: no close")]
    [InlineData("[[\"noon\",1,2,3,95000,1]]", "time: not a number (\"noon\")")]
    [InlineData("[[1768334400,1,2,3,\"high\",1]]", "close: not a number (\"high\")")]
    [InlineData("[[1768334400,1,2,3,0.5,1]]", "coinbase candles: close 0.5 is not a plausible BTC price")]
    [InlineData("[[1768334400,1,2,3,100000001,1]]", "coinbase candles: close 100000001 is not a plausible BTC price")]
    [InlineData("[[1768334400,1,2,3,-95000,1]]", "coinbase candles: close -95000 is not a plausible BTC price")]
    [InlineData("[[1000000000000000,1,2,3,95000,1]]", "coinbase candles time: timestamp out of range (1000000000000000)")]
    public void Answers_that_are_not_candles_are_refused_with_their_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(json));

    [Fact]
    public void Text_that_is_not_json_is_refused_as_coinbase_candles() =>
        Assert.StartsWith("coinbase candles: not valid JSON (", Refusal("<html>"), StringComparison.Ordinal);

    // ---- ClosesOf ----

    [Fact]
    public void Each_session_gets_the_close_of_the_candle_ending_at_16_00_new_york()
    {
        var candles = BtcCloses.ParseCandles(File.ReadAllText(Fixtures.Path("coinbase_products_BTC-USD_candles_1h.json")));

        var closes = BtcCloses.ClosesOf([new DateOnly(2026, 1, 13), new DateOnly(2026, 1, 12)], candles, "coinbase");

        Assert.Equal(
            [
                new BtcClose(new DateOnly(2026, 1, 13), 95_123.45m, "coinbase"),
                new BtcClose(new DateOnly(2026, 1, 12), 94_100.0m, "coinbase"),
            ],
            closes);
    }

    [Fact]
    public void A_session_whose_closing_hour_is_not_among_the_candles_has_no_close()
    {
        var candles = new[] { new BtcCloses.Candle(Utc(2026, 1, 13, 19), 1m), new BtcCloses.Candle(Utc(2026, 1, 13, 21), 2m) };

        Assert.Empty(BtcCloses.ClosesOf([new DateOnly(2026, 1, 13)], candles, "coinbase"));
        Assert.Empty(BtcCloses.ClosesOf([], candles, "coinbase"));
    }

    [Fact]
    public void Of_two_candles_of_the_same_hour_the_later_one_wins()
    {
        var candles = new[] { new BtcCloses.Candle(Utc(2026, 1, 13, 20), 95_000m), new BtcCloses.Candle(Utc(2026, 1, 13, 20), 95_500m) };

        var close = Assert.Single(BtcCloses.ClosesOf([new DateOnly(2026, 1, 13)], candles, "test"));

        Assert.Equal(95_500m, close.CloseUsd);
        Assert.Equal("test", close.Source);
    }

    // ---- Windows ----

    [Fact]
    public void No_sessions_need_no_request() => Assert.Empty(BtcCloses.Windows([]));

    [Fact]
    public void One_session_is_one_window_of_its_closing_hour()
    {
        Assert.Equal([(Utc(2026, 1, 13, 20), Utc(2026, 1, 13, 21))], BtcCloses.Windows([new DateOnly(2026, 1, 13)]));
        Assert.Equal([(Utc(2026, 7, 14, 19), Utc(2026, 7, 14, 20))], BtcCloses.Windows([new DateOnly(2026, 7, 14)])); // EDT
    }

    [Fact]
    public void Sessions_in_any_order_and_repeated_are_covered_by_one_window_from_the_first_to_the_last_closing_hour() =>
        Assert.Equal(
            [(Utc(2026, 1, 13, 20), Utc(2026, 1, 15, 21))],
            BtcCloses.Windows([new DateOnly(2026, 1, 15), new DateOnly(2026, 1, 13), new DateOnly(2026, 1, 14), new DateOnly(2026, 1, 13)]));

    [Fact]
    public void Closing_hours_288_hours_apart_share_a_window() =>
        Assert.Equal([(Utc(2026, 1, 2, 20), Utc(2026, 1, 14, 21))], BtcCloses.Windows([new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 14)]));

    [Fact]
    public void Closing_hours_312_hours_apart_need_two_windows() =>
        Assert.Equal(
            [(Utc(2026, 1, 2, 20), Utc(2026, 1, 2, 21)), (Utc(2026, 1, 15, 20), Utc(2026, 1, 15, 21))],
            BtcCloses.Windows([new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 15)]));

    [Fact]
    public void A_new_window_starts_at_the_first_closing_hour_beyond_the_previous_one()
    {
        var windows = BtcCloses.Windows([new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 20), new DateOnly(2026, 1, 30)]).ToList();

        Assert.Equal(
            [(Utc(2026, 1, 2, 20), Utc(2026, 1, 10, 21)), (Utc(2026, 1, 20, 20), Utc(2026, 1, 30, 21))],
            windows);
        Assert.All(windows, w => Assert.True((w.End - w.Start).TotalHours <= BtcCloses.MaxCandlesPerRequest));
    }
}
