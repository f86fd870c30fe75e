using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Binance: the five requests (USD-M premiumIndex, fundingRate, openInterest, openInterestHist; COIN-M premiumIndex),
/// how each answer is parsed, and how the reading falls back when a part is missing: funding from lastFundingRate,
/// the index from the delivery answer, the price from the hourly history, the time from whichever part is there.
/// </summary>
public sealed class BinanceVenueTests
{
    private const string PremiumPath = "/fapi/v1/premiumIndex";
    private const string FundingPath = "/fapi/v1/fundingRate";
    private const string OpenInterestPath = "/fapi/v1/openInterest";
    private const string HistoryPath = "/futures/data/openInterestHist";
    private const string DeliveryPath = "/dapi/v1/premiumIndex";

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [PremiumPath] = """{"symbol":"BTCUSDT","markPrice":"95020.00000000","indexPrice":"95000.00000000","lastFundingRate":"0.00006000","time":1768339800003}""",
        [FundingPath] = """[{"symbol":"BTCUSDT","fundingTime":1768262400002,"fundingRate":"0.00004000"},{"symbol":"BTCUSDT","fundingTime":1768291200000,"fundingRate":"-0.00000150"},{"symbol":"BTCUSDT","fundingTime":1768320000005,"fundingRate":"0.00005000"}]""",
        [OpenInterestPath] = """{"symbol":"BTCUSDT","openInterest":"102000.000","time":1768339800007}""",
        [HistoryPath] = """[{"symbol":"BTCUSDT","sumOpenInterest":"101500","sumOpenInterestValue":"9640000000","timestamp":1768334400000},{"symbol":"BTCUSDT","sumOpenInterest":"101900","sumOpenInterestValue":"9681000000","timestamp":1768338000000}]""",
        [DeliveryPath] = """[{"symbol":"BTCUSD_PERP","markPrice":"95015.1","indexPrice":"95000.0","time":1768339800000},{"symbol":"BTCUSD_260327","markPrice":"96400.0","indexPrice":"95000.0","time":1768339800000},{"symbol":"BTCUSD_260626","markPrice":"98600.0","indexPrice":"95000.0","time":1768339800000}]""",
    };

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static Task<VenueReading> Read(params (string Path, string? Body)[] changes) => Read(new DerivativesOptions(), changes);

    private static Task<VenueReading> Read(DerivativesOptions options, params (string Path, string? Body)[] changes) =>
        new BinanceVenue().ReadAsync(ScriptedVenueDocuments.With(Answers, changes), options, CancellationToken.None);

    private static string Refusal(Action parse) => Assert.Throws<VenueFormatException>(parse).Message;

    [Fact]
    public async Task The_five_requests_name_their_paths_symbols_and_parameters()
    {
        var documents = ScriptedVenueDocuments.With(Answers);

        await new BinanceVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None);

        Assert.Equal(
            [
                "binance BTCUSDT https://fapi.binance.com/fapi/v1/premiumIndex?symbol=BTCUSDT",
                "binance BTCUSDT https://fapi.binance.com/fapi/v1/fundingRate?symbol=BTCUSDT&limit=12",
                "binance BTCUSDT https://fapi.binance.com/fapi/v1/openInterest?symbol=BTCUSDT",
                "binance BTCUSDT https://fapi.binance.com/futures/data/openInterestHist?symbol=BTCUSDT&period=1h&limit=500",
                "binance BTCUSD https://dapi.binance.com/dapi/v1/premiumIndex?pair=BTCUSD",
            ],
            documents.Requests.Select(ScriptedVenueDocuments.Describe));
        Assert.All(documents.Requests, r => Assert.Empty(r.RecordedPathAliases));
    }

    [Fact]
    public async Task The_requests_go_to_the_configured_base_urls()
    {
        var options = new DerivativesOptions();
        options.Binance.UsdMarginedBaseUrl = new Uri("https://usdm.example/");
        options.Binance.CoinMarginedBaseUrl = new Uri("https://coinm.example/");
        var documents = ScriptedVenueDocuments.With(Answers);

        await new BinanceVenue().ReadAsync(documents, options, CancellationToken.None);

        Assert.Equal(["usdm.example", "usdm.example", "usdm.example", "usdm.example", "coinm.example"], documents.Requests.Select(r => r.Uri.Host));
    }

    [Fact]
    public async Task A_full_read_gives_settled_funding_open_interest_at_the_mark_the_index_the_basis_and_the_history()
    {
        var r = await Read();

        Assert.Equal("binance", r.Venue);
        Assert.Equal(Ms(1768339800007), r.AsOfUtc);                 // the open interest's time
        Assert.Equal(0.00005m, r.FundingRate8h);                     // the latest settlement, not lastFundingRate
        Assert.Equal(Ms(1768320000005), r.FundingTimeUtc);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(102_000m, r.OpenInterestBtc);
        Assert.Equal(9_692_040_000m, r.OpenInterestUsd);             // 102,000 × mark 95,020
        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Equal(7.625828m, Math.Round(r.Basis3mAnnualizedPct!.Value, 6));
        Assert.Equal("BTCUSD_260327 (72.4 d) ~ BTCUSD_260626 (163.4 d) interpolated to 90 d", r.BasisDetail);
        Assert.Equal([new OpenInterestPoint(Ms(1768334400000), 101_500m), new OpenInterestPoint(Ms(1768338000000), 101_900m)], r.OpenInterestHistory);
        Assert.False(r.Partial);
        Assert.Empty(r.Notes);
    }

    [Fact]
    public async Task Without_the_funding_history_the_premium_index_last_funding_rate_is_used_at_its_time()
    {
        var r = await Read((FundingPath, null));

        Assert.Equal(0.00006m, r.FundingRate8h);
        Assert.Equal(Ms(1768339800003), r.FundingTimeUtc);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.True(r.Partial);
        Assert.Equal(["fundingRate: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task Without_premium_index_the_index_comes_from_the_delivery_answer_and_values_the_open_interest()
    {
        var r = await Read((PremiumPath, null), (DeliveryPath, """[{"symbol":"BTCUSD_PERP","markPrice":"95015.1","indexPrice":"94000.0","time":1768339800000}]"""));

        Assert.Equal(94_000m, r.IndexPriceUsd);
        Assert.Equal(9_588_000_000m, r.OpenInterestUsd); // 102,000 × 94,000
        Assert.Equal(0.00005m, r.FundingRate8h);
        Assert.Equal(["premiumIndex: HTTP 404", "basis: no BTCUSD quarterly beyond the minimum days to expiry"], r.Notes);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Null(r.BasisDetail);
    }

    [Fact]
    public async Task Without_a_mark_price_the_open_interest_is_valued_at_the_index()
    {
        var r = await Read((PremiumPath, """{"symbol":"BTCUSDT","indexPrice":"95000","time":1768339800003}"""), (FundingPath, null));

        Assert.Equal(9_690_000_000m, r.OpenInterestUsd);
        Assert.Null(r.FundingRate8h); // no lastFundingRate either
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
    }

    [Fact]
    public async Task Without_premium_index_and_delivery_the_price_is_the_one_the_hourly_history_implies()
    {
        var r = await Read((PremiumPath, null), (DeliveryPath, null));

        Assert.Null(r.IndexPriceUsd);
        Assert.Equal(9_690_500_820m, r.OpenInterestUsd); // 102,000 × round(9,681,000,000 / 101,900, 2) = 95,004.91
        Assert.Equal(Ms(1768339800007), r.AsOfUtc);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Equal(["premiumIndex: HTTP 404", "delivery premiumIndex: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task Without_any_price_the_open_interest_has_no_usd_value()
    {
        var r = await Read((PremiumPath, null), (DeliveryPath, null), (HistoryPath, null));

        Assert.Equal(102_000m, r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Empty(r.OpenInterestHistory);
    }

    [Fact]
    public async Task Without_open_interest_the_reading_is_dated_by_the_premium_index()
    {
        var r = await Read((OpenInterestPath, null));

        Assert.Equal(Ms(1768339800003), r.AsOfUtc);
        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
    }

    [Fact]
    public async Task Without_open_interest_and_premium_index_the_reading_is_dated_by_the_delivery_answer()
    {
        var r = await Read((OpenInterestPath, null), (PremiumPath, null));

        Assert.Equal(Ms(1768339800000), r.AsOfUtc);
        Assert.Equal(95_000m, r.IndexPriceUsd);
    }

    [Fact]
    public async Task With_only_the_funding_history_the_reading_is_dated_by_the_latest_settlement()
    {
        var r = await Read((OpenInterestPath, null), (PremiumPath, null), (DeliveryPath, null), (HistoryPath, null));

        Assert.Equal(Ms(1768320000005), r.AsOfUtc);
        Assert.Equal(0.00005m, r.FundingRate8h);
        Assert.True(r.Partial);
        Assert.Equal(["premiumIndex: HTTP 404", "openInterest: HTTP 404", "openInterestHist: HTTP 404", "delivery premiumIndex: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task When_every_part_fails_the_read_fails_with_each_part_named()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((PremiumPath, null), (FundingPath, null), (OpenInterestPath, null), (HistoryPath, null), (DeliveryPath, null)));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("premiumIndex: HTTP 404; fundingRate: HTTP 404; openInterest: HTTP 404; openInterestHist: HTTP 404; delivery premiumIndex: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task Implausible_index_mark_and_open_interest_are_left_out_with_their_names()
    {
        var r = await Read(
            (PremiumPath, """{"symbol":"BTCUSDT","markPrice":"0","indexPrice":"0","lastFundingRate":"0.00006","time":1768339800003}"""),
            (OpenInterestPath, """{"openInterest":"-1","time":1768339800007}"""));

        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.True(r.Partial);
        Assert.Equal(
            [
                "index price: 0 is outside the plausible range; left out",
                "mark price: 0 is outside the plausible range; left out",
                "open interest: -1 is outside the plausible range; left out",
            ],
            r.Notes);
    }

    [Fact]
    public async Task An_implausible_price_implied_by_the_history_is_left_out_with_its_name()
    {
        var r = await Read((PremiumPath, null), (DeliveryPath, null), (HistoryPath, """[{"sumOpenInterest":"1","sumOpenInterestValue":"200000000","timestamp":1768338000000}]"""));

        Assert.Null(r.OpenInterestUsd);
        Assert.Equal("openInterestHist implied price: 200000000 is outside the plausible range; left out", r.Notes[^1]);
    }

    [Fact]
    public async Task An_implausible_delivery_index_gives_no_basis_and_says_so()
    {
        var r = await Read((DeliveryPath, """[{"symbol":"BTCUSD_260327","markPrice":"96400.0","indexPrice":"0","time":1768339800000}]"""));

        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Equal(95_000m, r.IndexPriceUsd); // the premium index's
        Assert.Equal(["delivery index price: 0 is outside the plausible range; left out"], r.Notes);
    }

    [Fact]
    public async Task History_points_beyond_all_bitcoin_are_dropped_with_a_count()
    {
        var r = await Read((HistoryPath, """[{"sumOpenInterest":"101500","timestamp":1768334400000},{"sumOpenInterest":"21000001","timestamp":1768338000000}]"""));

        Assert.Equal([new OpenInterestPoint(Ms(1768334400000), 101_500m)], r.OpenInterestHistory);
        Assert.Equal(["openInterestHist: 1 point(s) outside the plausible open interest left out"], r.Notes);
    }

    [Fact]
    public async Task Funding_beyond_the_limit_is_left_out_with_its_time_and_interval()
    {
        var r = await Read((FundingPath, """[{"fundingTime":1768320000005,"fundingRate":"0.0051"}]"""));

        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
        Assert.True(r.Partial);
    }

    // ---- premiumIndex ----

    [Fact]
    public void Premium_index_reads_mark_index_last_funding_and_time()
    {
        var p = BinanceVenue.ParsePremiumIndex(Answers[PremiumPath]);

        Assert.Equal(new BinanceVenue.PremiumIndex(95_020m, 95_000m, 0.00006m, Ms(1768339800003)), p);
    }

    [Fact]
    public void Premium_index_as_a_list_takes_the_first_BTCUSDT_entry()
    {
        var p = BinanceVenue.ParsePremiumIndex("""[{"symbol":"ETHUSDT","markPrice":"3300","time":1},{"symbol":"BTCUSDT","markPrice":"95020","time":1768339800003},{"symbol":"BTCUSDT","markPrice":"1","time":1768339800009}]""");

        Assert.Equal(95_020m, p.MarkPrice);
        Assert.Equal(Ms(1768339800003), p.Time);
        Assert.Null(p.IndexPrice);
        Assert.Null(p.LastFundingRate);
    }

    [Theory]
    [InlineData("""[{"symbol":"ETHUSDT","time":1768339800003}]""")]
    [InlineData("[]")]
    [InlineData("\"BTCUSDT\"")]
    public void Premium_index_without_a_BTCUSDT_object_is_refused(string json) =>
        Assert.Equal("binance premiumIndex: no BTCUSDT entry", Refusal(() => BinanceVenue.ParsePremiumIndex(json)));

    [Fact]
    public void Premium_index_without_time_is_refused() =>
        Assert.Equal("binance premiumIndex: 'time' is missing", Refusal(() => BinanceVenue.ParsePremiumIndex("""{"symbol":"BTCUSDT","markPrice":"95020"}""")));

    [Fact]
    public void Premium_index_error_envelope_is_refused_with_code_and_message() =>
        Assert.Equal("binance premiumIndex: error -1121 Invalid symbol.", Refusal(() => BinanceVenue.ParsePremiumIndex("""{"code":-1121,"msg":"Invalid symbol."}""")));

    [Theory]
    [InlineData("""{"code":200,"msg":"ok","markPrice":"95020","time":1768339800003}""")]
    [InlineData("""{"code":"-1121","msg":"a code as text is no error envelope","markPrice":"95020","time":1768339800003}""")]
    [InlineData("""{"code":-1121,"markPrice":"95020","time":1768339800003}""")]
    [InlineData("""{"msg":"Invalid symbol.","markPrice":"95020","time":1768339800003}""")]
    public void Only_a_numeric_code_other_than_200_with_a_message_is_an_error(string json) =>
        Assert.Equal(95_020m, BinanceVenue.ParsePremiumIndex(json).MarkPrice);

    [Fact]
    public void A_code_beyond_int_is_still_an_error() =>
        Assert.Equal("binance premiumIndex: error 4294967496 too big", Refusal(() => BinanceVenue.ParsePremiumIndex("""{"code":4294967496,"msg":"too big"}""")));

    // ---- fundingRate ----

    [Fact]
    public void Funding_history_takes_the_latest_settlement_by_time_not_position()
    {
        var f = BinanceVenue.ParseFundingHistory("""[{"fundingTime":1768320000000,"fundingRate":"0.00005"},{"fundingTime":1768291200000,"fundingRate":"-0.0000015"},{"fundingTime":1768262400000,"fundingRate":"0.00004"}]""");

        Assert.Equal(new FundingObservation(0.00005m, TimeSpan.FromHours(8), Ms(1768320000000), "settled"), f);
    }

    [Fact]
    public void Funding_history_interval_comes_from_the_spacing()
    {
        var f = BinanceVenue.ParseFundingHistory("""[{"fundingTime":1768320000000,"fundingRate":"0.00001"},{"fundingTime":1768334400000,"fundingRate":"0.00002"}]""");

        Assert.Equal(TimeSpan.FromHours(4), f.Interval);
        Assert.Equal(0.00002m, f.Rate);
        Assert.Equal(Ms(1768334400000), f.AtUtc);
    }

    [Fact]
    public void A_single_settlement_is_taken_as_8_hourly()
    {
        var f = BinanceVenue.ParseFundingHistory("""[{"fundingTime":1768320000000,"fundingRate":0.0001}]""");

        Assert.Equal(TimeSpan.FromHours(8), f.Interval);
        Assert.Equal(0.0001m, f.Rate);
    }

    [Theory]
    [InlineData("[]", "binance fundingRate: empty list")]
    [InlineData("""[{"fundingTime":1768320000000}]""", "binance fundingRate: field 'fundingRate' is missing or empty")]
    [InlineData("""[{"fundingRate":"0.0001"}]""", "binance fundingRate: 'fundingTime' is missing")]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""", "binance fundingRate: error -1121 Invalid symbol.")]
    [InlineData("""{"rows":[]}""", "binance fundingRate: expected a list, got Object")]
    public void Funding_history_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BinanceVenue.ParseFundingHistory(json)));

    // ---- openInterest ----

    [Fact]
    public void Open_interest_is_read_in_btc_with_its_time() =>
        Assert.Equal(new OpenInterestPoint(Ms(1768339800007), 102_000m), BinanceVenue.ParseOpenInterest(Answers[OpenInterestPath]));

    [Theory]
    [InlineData("""{"openInterest":"102000"}""", "binance openInterest: 'time' is missing")]
    [InlineData("""{"time":1768339800007}""", "binance openInterest: field 'openInterest' is missing or empty")]
    [InlineData("""{"code":-4001,"msg":"Bad request"}""", "binance openInterest: error -4001 Bad request")]
    public void Open_interest_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BinanceVenue.ParseOpenInterest(json)));

    // ---- openInterestHist ----

    [Fact]
    public void History_is_ordered_oldest_first_and_its_latest_hour_implies_a_price_to_the_cent()
    {
        var h = BinanceVenue.ParseOpenInterestHistory("""[{"sumOpenInterest":"101900","sumOpenInterestValue":"9681000000","timestamp":1768338000000},{"sumOpenInterest":"101500","sumOpenInterestValue":"1","timestamp":1768334400000}]""");

        Assert.Equal([new OpenInterestPoint(Ms(1768334400000), 101_500m), new OpenInterestPoint(Ms(1768338000000), 101_900m)], h.Points);
        Assert.Equal(95_004.91m, h.LatestPrice); // 9,681,000,000 / 101,900 = 95,004.9068
    }

    [Fact]
    public void History_without_the_latest_value_implies_no_price()
    {
        var h = BinanceVenue.ParseOpenInterestHistory("""[{"sumOpenInterest":"101500","sumOpenInterestValue":"9640000000","timestamp":1768334400000},{"sumOpenInterest":"101900","timestamp":1768338000000}]""");

        Assert.Equal(2, h.Points.Count);
        Assert.Null(h.LatestPrice);
    }

    [Fact]
    public void History_with_a_zero_latest_open_interest_implies_no_price()
    {
        var h = BinanceVenue.ParseOpenInterestHistory("""[{"sumOpenInterest":"0","sumOpenInterestValue":"5","timestamp":1768338000000}]""");

        Assert.Equal(0m, Assert.Single(h.Points).Btc);
        Assert.Null(h.LatestPrice);
    }

    [Fact]
    public void An_empty_history_has_no_points_and_no_price()
    {
        var h = BinanceVenue.ParseOpenInterestHistory("[]");

        Assert.Empty(h.Points);
        Assert.Null(h.LatestPrice);
    }

    [Theory]
    [InlineData("""[{"sumOpenInterest":"1"}]""", "binance openInterestHist: 'timestamp' is missing")]
    [InlineData("""[{"timestamp":1768338000000}]""", "binance openInterestHist: field 'sumOpenInterest' is missing or empty")]
    [InlineData("""{"code":-1130,"msg":"Data sent for parameter 'period' is not valid."}""", "binance openInterestHist: error -1130 Data sent for parameter 'period' is not valid.")]
    [InlineData("""{"data":[]}""", "binance openInterestHist: expected a list, got Object")]
    public void History_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BinanceVenue.ParseOpenInterestHistory(json)));

    // ---- dapi premiumIndex ----

    [Fact]
    public void Delivery_keeps_dated_contracts_with_a_mark_expiring_at_8_utc_the_first_index_and_the_latest_time()
    {
        var d = BinanceVenue.ParseDelivery("""
            [
              {"symbol":"BTCUSD_PERP","markPrice":"95015.1","time":1768339700000},
              {"symbol":"BTCUSD_260327","markPrice":"96400.0","indexPrice":"95000.0","time":1768339800000},
              {"symbol":"BTCUSD_260626","markPrice":"98600.0","indexPrice":"95100.0","time":1768339790000},
              {"symbol":"BTCUSD_260925","indexPrice":"95200.0"},
              {"symbol":"BTCUSD260327","markPrice":"1"},
              {"symbol":"260327","markPrice":"2"},
              {"markPrice":"3"},
              {"symbol":"_260327","markPrice":"96500.0"}
            ]
            """);

        Assert.Equal(
            [
                new FuturesQuote("BTCUSD_260327", new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero), 96_400m),
                new FuturesQuote("BTCUSD_260626", new DateTimeOffset(2026, 6, 26, 8, 0, 0, TimeSpan.Zero), 98_600m),
                new FuturesQuote("_260327", new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero), 96_500m),
            ],
            d.Quotes);
        Assert.Equal(95_000m, d.IndexPrice);
        Assert.Equal(Ms(1768339800000), d.Time);
    }

    [Fact]
    public void Delivery_time_is_the_latest_whatever_the_order()
    {
        Assert.Equal(Ms(1768339800000), BinanceVenue.ParseDelivery("""[{"symbol":"A","time":1768339800000},{"symbol":"B","time":1768339700000}]""").Time);
        Assert.Equal(Ms(1768339800000), BinanceVenue.ParseDelivery("""[{"symbol":"A","time":1768339700000},{"symbol":"B","time":1768339800000}]""").Time);
        Assert.Null(BinanceVenue.ParseDelivery("""[{"symbol":"A","time":1768339700000}]""").IndexPrice);
    }

    [Theory]
    [InlineData("""[{"symbol":"BTCUSD_260327","markPrice":"96400.0"}]""", "binance dapi premiumIndex: no 'time'")]
    [InlineData("[]", "binance dapi premiumIndex: no 'time'")]
    [InlineData("""{"code":-1121,"msg":"Invalid pair."}""", "binance dapi premiumIndex: error -1121 Invalid pair.")]
    [InlineData("""{"symbol":"BTCUSD_PERP"}""", "binance dapi premiumIndex: expected a list, got Object")]
    public void Delivery_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BinanceVenue.ParseDelivery(json)));
}
