using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Deribit: the book summary of BTC futures (BTC-PERPETUAL funding_8h and USD open interest, the inverse dated
/// futures' marks) against the btc_usd index; the JSON-RPC error envelope; which rows count; and the fall-backs
/// (estimated delivery price for the index, the index time for the reading).
/// </summary>
public sealed class DeribitVenueTests
{
    private const string BookPath = "/api/v2/public/get_book_summary_by_currency";
    private const string IndexPath = "/api/v2/public/get_index_price";

    private const string Book = """
        {"jsonrpc":"2.0","result":[
          {"instrument_name":"BTC-PERPETUAL","funding_8h":4e-05,"open_interest":950000000,"mark_price":95010.5,"estimated_delivery_price":95000.0,"creation_timestamp":1768339800000},
          {"instrument_name":"BTC-30JAN26","mark_price":95322.1,"estimated_delivery_price":95000.0,"creation_timestamp":1768339799860},
          {"instrument_name":"BTC-27MAR26","mark_price":96500.0,"estimated_delivery_price":95000.0,"creation_timestamp":1768339799880},
          {"instrument_name":"BTC-26JUN26","mark_price":98800.0,"estimated_delivery_price":95000.0,"creation_timestamp":1768339799900}
        ],"usOut":1768339800004000}
        """;

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [BookPath] = Book,
        [IndexPath] = """{"jsonrpc":"2.0","result":{"index_price":95000.0,"estimated_delivery_price":95000.0},"usIn":1768339799998500,"usOut":1768339800001200}""",
    };

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset Expiry(int year, int month, int day) => new(year, month, day, 8, 0, 0, TimeSpan.Zero);

    private static Task<VenueReading> Read(params (string Path, string? Body)[] changes) => Read(new DerivativesOptions(), changes);

    private static Task<VenueReading> Read(DerivativesOptions options, params (string Path, string? Body)[] changes) =>
        new DeribitVenue().ReadAsync(ScriptedVenueDocuments.With(Answers, changes), options, CancellationToken.None);

    private static string PerpetualOnly(string perpetual) => $$"""{"result":[{{perpetual}}]}""";

    private static string Refusal(Action parse) => Assert.Throws<VenueFormatException>(parse).Message;

    [Fact]
    public async Task The_two_requests_name_their_paths_and_parameters()
    {
        var documents = ScriptedVenueDocuments.With(Answers);

        await new DeribitVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None);

        Assert.Equal(
            [
                "deribit BTC https://www.deribit.com/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=future",
                "deribit btc_usd https://www.deribit.com/api/v2/public/get_index_price?index_name=btc_usd",
            ],
            documents.Requests.Select(ScriptedVenueDocuments.Describe));
    }

    [Fact]
    public async Task A_full_read_gives_perpetual_funding_usd_open_interest_in_btc_at_the_index_and_the_quarterly_basis()
    {
        var r = await Read();

        Assert.Equal("deribit", r.Venue);
        Assert.Equal(Ms(1768339800000), r.AsOfUtc);     // the latest creation_timestamp
        Assert.Equal(0.00004m, r.FundingRate8h);
        Assert.Equal(Ms(1768339800000), r.FundingTimeUtc);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(950_000_000m, r.OpenInterestUsd);
        Assert.Equal(10_000m, r.OpenInterestBtc);
        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Equal(8.144605m, Math.Round(r.Basis3mAnnualizedPct!.Value, 6));
        Assert.Equal("BTC-27MAR26 (72.4 d) ~ BTC-26JUN26 (163.4 d) interpolated to 90 d", r.BasisDetail);
        Assert.Empty(r.OpenInterestHistory);
        Assert.False(r.Partial);
        Assert.Empty(r.Notes);
    }

    [Fact]
    public async Task Open_interest_in_btc_is_rounded_to_four_places()
    {
        var r = await Read((BookPath, PerpetualOnly("""{"instrument_name":"BTC-PERPETUAL","funding_8h":0.0001,"open_interest":1000000000,"creation_timestamp":1768339800000}""")));

        Assert.Equal(10_526.3158m, r.OpenInterestBtc); // 1,000,000,000 / 95,000
        Assert.Equal(["basis: no quarterly beyond the minimum days to expiry"], r.Notes);
        Assert.Null(r.Basis3mAnnualizedPct);
    }

    [Fact]
    public async Task Without_the_index_the_estimated_delivery_price_is_used_and_said()
    {
        var r = await Read((IndexPath, null), (BookPath, Book.Replace("\"estimated_delivery_price\":95000.0,\"creation_timestamp\":1768339800000", "\"estimated_delivery_price\":94000.0,\"creation_timestamp\":1768339800000", StringComparison.Ordinal)));

        Assert.Equal(94_000m, r.IndexPriceUsd);
        Assert.Equal(Math.Round(950_000_000m / 94_000m, 4), r.OpenInterestBtc);
        Assert.NotNull(r.Basis3mAnnualizedPct);
        Assert.True(r.Partial);
        Assert.Equal(["get_index_price: HTTP 404", "index: estimated_delivery_price used"], r.Notes);
    }

    [Fact]
    public async Task Without_the_index_or_an_estimated_delivery_price_there_is_no_price_no_btc_and_no_basis()
    {
        var r = await Read((IndexPath, null), (BookPath, PerpetualOnly("""{"instrument_name":"BTC-PERPETUAL","funding_8h":0.0001,"open_interest":950000000,"creation_timestamp":1768339800000}""")));

        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.OpenInterestBtc);
        Assert.Equal(950_000_000m, r.OpenInterestUsd);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Equal(["get_index_price: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task An_implausible_estimated_delivery_price_is_no_fall_back_for_a_missing_index()
    {
        var r = await Read((IndexPath, null), (BookPath, PerpetualOnly("""{"instrument_name":"BTC-PERPETUAL","funding_8h":0.0001,"open_interest":950000000,"estimated_delivery_price":0,"creation_timestamp":1768339800000}""")));

        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.OpenInterestBtc);
        Assert.Equal(["get_index_price: HTTP 404", "estimated delivery price: 0 is outside the plausible range; left out"], r.Notes);
    }

    [Fact]
    public async Task An_implausible_index_is_left_out_and_the_estimated_delivery_price_takes_its_place()
    {
        var r = await Read((IndexPath, """{"result":{"index_price":0},"usOut":1768339800001200}"""));

        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Equal(["index price: 0 is outside the plausible range; left out"], r.Notes);
        Assert.True(r.Partial);
    }

    [Fact]
    public async Task Without_the_book_summary_nothing_usable_remains()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((BookPath, null)));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("get_book_summary_by_currency: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task When_both_parts_fail_the_read_fails_with_both_named()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((BookPath, null), (IndexPath, null)));

        Assert.Equal("get_book_summary_by_currency: HTTP 404; get_index_price: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task Implausible_usd_open_interest_is_left_out_with_its_name()
    {
        var r = await Read((BookPath, Book.Replace("\"open_interest\":950000000", "\"open_interest\":-1", StringComparison.Ordinal)));

        Assert.Null(r.OpenInterestUsd);
        Assert.Null(r.OpenInterestBtc);
        Assert.Equal(["open interest (USD): -1 is outside the plausible range; left out"], r.Notes);
    }

    [Theory]
    [InlineData("0.005", true)]
    [InlineData("-0.005", true)]
    [InlineData("0.0051", false)]
    [InlineData("-0.0051", false)]
    public async Task Funding_8h_is_kept_up_to_the_configured_limit(string funding, bool kept)
    {
        var r = await Read((BookPath, Book.Replace("\"funding_8h\":4e-05", $"\"funding_8h\":{funding}", StringComparison.Ordinal)));

        if (kept)
        {
            Assert.Equal(decimal.Parse(funding, System.Globalization.CultureInfo.InvariantCulture), r.FundingRate8h);
            Assert.Equal(Ms(1768339800000), r.FundingTimeUtc);
            Assert.Equal(8m, r.FundingIntervalHours);
            Assert.Empty(r.Notes);
        }
        else
        {
            Assert.Null(r.FundingRate8h);
            Assert.Null(r.FundingTimeUtc);
            Assert.Null(r.FundingIntervalHours);
            Assert.Equal([$"funding_8h (beyond ±0.005): {funding} is outside the plausible range; left out"], r.Notes);
        }
    }

    [Fact]
    public async Task The_funding_limit_named_in_the_note_is_the_configured_one()
    {
        var options = new DerivativesOptions { MaxAbsFundingRate8h = 0.01m };

        var r = await Read(options, (BookPath, Book.Replace("\"funding_8h\":4e-05", "\"funding_8h\":0.02", StringComparison.Ordinal)));

        Assert.Null(r.FundingRate8h);
        Assert.Equal(["funding_8h (beyond ±0.01): 0.02 is outside the plausible range; left out"], r.Notes);
    }

    // ---- book summary ----

    [Fact]
    public void Book_summary_keeps_inverse_dated_futures_with_a_mark_and_reads_the_perpetual()
    {
        var b = DeribitVenue.ParseBookSummary("""
            {"result":[
              {"instrument_name":"BTC-27MAR26","mark_price":96500.0,"creation_timestamp":1768339799880},
              {"instrument_name":"BTC-7MAR26","mark_price":96000.0},
              {"instrument_name":"BTC-PERPETUAL","funding_8h":"0.00004","open_interest":950000000,"mark_price":95010.5,"estimated_delivery_price":95000.0,"creation_timestamp":1768339800000},
              {"instrument_name":"BTC_USDC-27MAR26","mark_price":1.0},
              {"instrument_name":"ETH-27MAR26","mark_price":2.0},
              {"instrument_name":"XBTC-27MAR26","mark_price":3.0},
              {"instrument_name":"BTC-27MAR26-100000-C","mark_price":4.0},
              {"instrument_name":"BTC-26JUN26","estimated_delivery_price":96000.0},
              {"mark_price":5.0},
              {"instrument_name":"BTC-25SEP26","mark_price":101000.0,"creation_timestamp":1768339799910}
            ]}
            """);

        Assert.Equal(0.00004m, b.Funding8h);
        Assert.Equal(950_000_000m, b.PerpetualOpenInterestUsd);
        Assert.Equal(95_000m, b.EstimatedDeliveryPrice);
        Assert.Equal(
            [
                new FuturesQuote("BTC-27MAR26", Expiry(2026, 3, 27), 96_500m),
                new FuturesQuote("BTC-7MAR26", Expiry(2026, 3, 7), 96_000m),
                new FuturesQuote("BTC-25SEP26", Expiry(2026, 9, 25), 101_000m),
            ],
            b.Futures);
        Assert.Equal(Ms(1768339800000), b.Time);
    }

    [Fact]
    public void The_first_estimated_delivery_price_and_the_latest_creation_time_win()
    {
        var b = DeribitVenue.ParseBookSummary("""{"result":[{"instrument_name":"BTC-27MAR26","creation_timestamp":1768339799000},{"instrument_name":"BTC-26JUN26","estimated_delivery_price":94000,"creation_timestamp":1768339800000},{"instrument_name":"BTC-25SEP26","estimated_delivery_price":95000,"creation_timestamp":1768339799500}]}""");

        Assert.Equal(94_000m, b.EstimatedDeliveryPrice);
        Assert.Equal(Ms(1768339800000), b.Time);
        Assert.Null(b.Funding8h);
        Assert.Null(b.PerpetualOpenInterestUsd);
        Assert.Empty(b.Futures);
    }

    [Theory]
    [InlineData("[]", "deribit get_book_summary_by_currency: expected an object")]
    [InlineData("""{"error":{"code":10009,"message":"not_enough_funds"}}""", "deribit get_book_summary_by_currency: error 10009 not_enough_funds")]
    [InlineData("""{"jsonrpc":"2.0"}""", "deribit get_book_summary_by_currency: field 'result' is missing")]
    [InlineData("""{"error":null}""", "deribit get_book_summary_by_currency: field 'result' is missing")]
    [InlineData("""{"result":{}}""", "deribit get_book_summary_by_currency: expected a list, got Object")]
    [InlineData("""{"result":[]}""", "deribit get_book_summary_by_currency: no instruments with 'creation_timestamp'")]
    [InlineData("""{"result":[{"instrument_name":"BTC-PERPETUAL","funding_8h":0.0001}]}""", "deribit get_book_summary_by_currency: no instruments with 'creation_timestamp'")]
    public void Book_summary_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => DeribitVenue.ParseBookSummary(json)));

    // ---- index ----

    [Fact]
    public void Index_reads_the_price_and_the_answer_time_from_microseconds() =>
        Assert.Equal(new DeribitVenue.IndexPrice(95_000m, Ms(1768339800001)), DeribitVenue.ParseIndex(Answers[IndexPath]));

    [Fact]
    public void An_index_without_usOut_has_no_time() =>
        Assert.Equal(new DeribitVenue.IndexPrice(95_000m, default), DeribitVenue.ParseIndex("""{"result":{"index_price":"95000"}}"""));

    [Theory]
    [InlineData("\"x\"", "deribit get_index_price: expected an object")]
    [InlineData("""{"error":{"code":-32602,"message":"Invalid params"},"result":{"index_price":1}}""", "deribit get_index_price: error -32602 Invalid params")]
    [InlineData("""{"usOut":1768339800001200}""", "deribit get_index_price: field 'result' is missing")]
    [InlineData("""{"result":{"estimated_delivery_price":95000.0}}""", "deribit get_index_price: field 'index_price' is missing or empty")]
    public void Index_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => DeribitVenue.ParseIndex(json)));

    [Fact]
    public void An_index_time_beyond_the_calendar_is_refused() =>
        Assert.StartsWith("deribit usOut: timestamp out of range (", Refusal(() => DeribitVenue.ParseIndex("""{"result":{"index_price":1},"usOut":100000000000000000000}""")), StringComparison.Ordinal);
}
