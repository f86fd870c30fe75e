using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Kraken Futures tickers: the request, the PF_XBTUSD row, the data time (serverTime, else lastTime), and the absolute
/// funding rate (USD per BTC per hour) normalised by the index (else the mark) to a relative 8-hour rate, with the
/// reason whenever it cannot be.
/// </summary>
public sealed class KrakenVenueTests
{
    private const string TickerPath = "/derivatives/api/v3/tickers";
    private const string BasisNote = "basis: not read from Kraken";
    private const string Tickers = """{"result":"success","serverTime":"2026-01-13T21:29:58.120Z","tickers":[{"symbol":"PI_XBTUSD","markPrice":95011.2,"openInterest":2500000.0,"fundingRate":4e-11,"indexPrice":95000},{"symbol":"PF_XBTUSD","lastTime":"2026-01-13T21:29:41.000Z","markPrice":95014,"openInterest":2100.5,"fundingRate":0.475,"indexPrice":95000}]}""";

    private static readonly DateTimeOffset ServerTime = new(2026, 1, 13, 21, 29, 58, 120, TimeSpan.Zero);

    private static string Ticker(string row) => $$"""{"result":"success","serverTime":"2026-01-13T21:29:58.120Z","tickers":[{{row}}]}""";

    private static Task<VenueReading> Read(string? body, DerivativesOptions? options = null) =>
        new KrakenVenue().ReadAsync(ScriptedVenueDocuments.With(new Dictionary<string, string>(), (TickerPath, body)), options ?? new DerivativesOptions(), CancellationToken.None);

    private static string Refusal(string json) => Assert.Throws<VenueFormatException>(() => KrakenVenue.ParseTicker(json)).Message;

    [Fact]
    public async Task The_request_is_the_tickers_path_with_the_recording_alias()
    {
        var documents = ScriptedVenueDocuments.With(new Dictionary<string, string> { [TickerPath] = Tickers });

        await new KrakenVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None);

        var request = Assert.Single(documents.Requests);
        Assert.Equal("kraken XBT https://futures.kraken.com/derivatives/api/v3/tickers", ScriptedVenueDocuments.Describe(request));
        Assert.Equal(["futures/v3/tickers"], request.RecordedPathAliases);
    }

    [Fact]
    public async Task A_full_read_normalises_funding_by_the_index_and_values_open_interest_at_the_mark()
    {
        var r = await Read(Tickers);

        Assert.Equal("kraken", r.Venue);
        Assert.Equal(ServerTime, r.AsOfUtc);
        Assert.Equal(0.00004m, r.FundingRate8h); // 0.475 / 95,000 per hour × 8
        Assert.Equal(ServerTime, r.FundingTimeUtc);
        Assert.Equal(1m, r.FundingIntervalHours);
        Assert.Equal(2_100.5m, r.OpenInterestBtc);
        Assert.Equal(199_576_907m, r.OpenInterestUsd); // 2,100.5 × 95,014
        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.False(r.Partial);
        Assert.Equal(["funding: absolute 0.475 USD/BTC per 1h normalised by index 95000", BasisNote], r.Notes);
    }

    [Fact]
    public async Task The_configured_interval_scales_the_rate_and_is_reported()
    {
        var options = new DerivativesOptions();
        options.Kraken.FundingIntervalHours = 8m;

        var r = await Read(Tickers, options);

        Assert.Equal(0.000005m, r.FundingRate8h);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal("funding: absolute 0.475 USD/BTC per 8h normalised by index 95000", r.Notes[0]);
    }

    [Fact]
    public async Task Without_an_index_funding_is_normalised_by_the_mark()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","markPrice":95000,"openInterest":2,"fundingRate":0.475}"""));

        Assert.Equal(0.00004m, r.FundingRate8h);
        Assert.Null(r.IndexPriceUsd);
        Assert.Equal(190_000m, r.OpenInterestUsd);

        // Regression: the note named the index although the mark was the price used.
        Assert.Equal("funding: absolute 0.475 USD/BTC per 1h normalised by mark 95000", r.Notes[0]);
    }

    [Fact]
    public async Task Without_a_mark_open_interest_is_valued_at_the_index()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","openInterest":2,"fundingRate":0.475,"indexPrice":95000}"""));

        Assert.Equal(190_000m, r.OpenInterestUsd);
        Assert.Equal(0.00004m, r.FundingRate8h);
    }

    [Fact]
    public async Task Without_a_funding_rate_the_reading_is_partial_and_says_so()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","markPrice":95000,"openInterest":2,"indexPrice":95000}"""));

        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
        Assert.True(r.Partial);
        Assert.Equal(["funding: no fundingRate", BasisNote], r.Notes);
    }

    [Fact]
    public async Task Without_any_price_funding_is_rejected_and_open_interest_has_no_usd_value()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","openInterest":2,"fundingRate":0.475}"""));

        Assert.Null(r.FundingRate8h);
        Assert.Equal(2m, r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.True(r.Partial);
        Assert.Equal(["funding rejected: Kraken's fundingRate is absolute (USD per contract) and no price is available to normalise it", BasisNote], r.Notes);
    }

    [Fact]
    public async Task Implausible_prices_are_left_out_with_their_names_and_funding_has_nothing_to_be_normalised_by()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","markPrice":-1,"openInterest":2,"fundingRate":0.475,"indexPrice":0}"""));

        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.OpenInterestUsd);
        Assert.Null(r.FundingRate8h);
        Assert.Equal(2m, r.OpenInterestBtc);
        Assert.Equal(
            [
                "index price: 0 is outside the plausible range; left out",
                "mark price: -1 is outside the plausible range; left out",
                "funding rejected: Kraken's fundingRate is absolute (USD per contract) and no price is available to normalise it",
                BasisNote,
            ],
            r.Notes);
    }

    [Fact]
    public async Task Open_interest_beyond_all_bitcoin_is_left_out_and_funding_is_kept()
    {
        var r = await Read(Ticker("""{"symbol":"PF_XBTUSD","markPrice":95000,"openInterest":21000001,"fundingRate":0.475,"indexPrice":95000}"""));

        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(0.00004m, r.FundingRate8h);
        Assert.Equal("open interest: 21000001 is outside the plausible range; left out", r.Notes[0]);
    }

    [Fact]
    public async Task With_neither_funding_nor_open_interest_the_read_fails_with_every_reason()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read(Ticker("""{"symbol":"PF_XBTUSD","openInterest":-2,"indexPrice":95000}""")));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal("open interest: -2 is outside the plausible range; left out; funding: no fundingRate", ex.Message);
    }

    [Fact]
    public async Task A_failed_request_fails_the_read_with_its_reason()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read(null));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("tickers: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task A_malformed_answer_fails_the_read_as_malformed()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read("""{"result":"success","tickers":[]}"""));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal("tickers: kraken tickers: no PF_XBTUSD", ex.Message);
    }

    // ---- NormaliseFunding ----

    [Fact]
    public void No_absolute_rate_is_no_funding() =>
        Assert.Equal(((decimal?)null, "funding: no fundingRate"), KrakenVenue.NormaliseFunding(null, 95_000m, 1m, 0.005m));

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("-95000")]
    public void Without_a_positive_price_the_absolute_rate_cannot_be_normalised(string? price) =>
        Assert.Equal(
            ((decimal?)null, "funding rejected: Kraken's fundingRate is absolute (USD per contract) and no price is available to normalise it"),
            KrakenVenue.NormaliseFunding(0.475m, price is null ? null : Dec(price), 1m, 0.005m));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Without_a_positive_interval_the_rate_is_rejected(string hours) =>
        Assert.Equal(((decimal?)null, "funding rejected: no funding interval configured"), KrakenVenue.NormaliseFunding(0.475m, 95_000m, Dec(hours), 0.005m));

    [Theory]
    [InlineData("79228162514264337593543950335", "0.5", "1", "funding rejected: absolute 79228162514264337593543950335 over price 0.5 is out of range")]
    [InlineData("79228162514264337593543950335", "1", "1", "funding rejected: absolute 79228162514264337593543950335 over price 1 is out of range")]
    [InlineData("9000000000000000000000000000", "1", "0.5", "funding rejected: absolute 9000000000000000000000000000 over price 1 is out of range")]
    public void Arithmetic_beyond_decimal_is_rejected_as_out_of_range(string absolute, string price, string hours, string reason) =>
        Assert.Equal(((decimal?)null, reason), KrakenVenue.NormaliseFunding(Dec(absolute), Dec(price), Dec(hours), 0.005m));

    [Fact]
    public void A_rate_beyond_the_limit_is_rejected_with_the_normalised_value() =>
        Assert.Equal(
            ((decimal?)null, "funding rejected: absolute 500 normalises to 0.042105 per 8h, beyond the plausible ±0.005"),
            KrakenVenue.NormaliseFunding(500m, 95_000m, 1m, 0.005m));

    [Theory]
    [InlineData("59.375", true)]
    [InlineData("-59.375", true)]
    [InlineData("59.376", false)]
    [InlineData("-59.376", false)]
    public void The_limit_itself_is_plausible(string absolute, bool kept)
    {
        var (rate, note) = KrakenVenue.NormaliseFunding(Dec(absolute), 95_000m, 1m, 0.005m);

        Assert.Equal(kept, rate is not null);
        if (kept) Assert.Equal(Dec(absolute) / 95_000m * 8m, rate);
        Assert.StartsWith(kept ? "funding: absolute " : "funding rejected: absolute ", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normalised_rate_says_how_it_was_normalised() =>
        Assert.Equal(
            ((decimal?)(0.123456789m / 95_000.5m * 8m / 1.5m), "funding: absolute 0.12345679 USD/BTC per 1.5h normalised by index 95000.5"),
            KrakenVenue.NormaliseFunding(0.123456789m, 95_000.5m, 1.5m, 0.005m));

    // ---- ParseTicker ----

    [Fact]
    public void The_PF_XBTUSD_row_gives_funding_open_interest_mark_index_and_the_server_time() =>
        Assert.Equal(new KrakenVenue.Ticker(0.475m, 2_100.5m, 95_014m, 95_000m, ServerTime), KrakenVenue.ParseTicker(Tickers));

    [Fact]
    public void The_symbol_is_matched_without_case_and_the_first_match_wins() =>
        Assert.Equal(
            new KrakenVenue.Ticker(1m, null, null, null, ServerTime),
            KrakenVenue.ParseTicker(Ticker("""{"symbol":"pf_xbtusd","fundingRate":1},{"symbol":"PF_XBTUSD","fundingRate":2}""")));

    [Fact]
    public void Without_serverTime_the_last_trade_time_is_used() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 29, 41, TimeSpan.Zero), KrakenVenue.ParseTicker("""{"tickers":[{"symbol":"PF_XBTUSD","lastTime":"2026-01-13T21:29:41.000Z"}]}""").Time);

    [Fact]
    public void An_unreadable_serverTime_falls_back_to_the_last_trade_time() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 29, 41, TimeSpan.Zero), KrakenVenue.ParseTicker("""{"serverTime":"soon","tickers":[{"symbol":"PF_XBTUSD","lastTime":"2026-01-13T21:29:41.000Z"}]}""").Time);

    [Fact]
    public void Times_with_an_offset_are_converted_to_utc_and_times_without_one_are_utc()
    {
        var withOffset = KrakenVenue.ParseTicker("""{"serverTime":"2026-01-13T22:29:58+01:00","tickers":[{"symbol":"PF_XBTUSD"}]}""").Time;
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 29, 58, TimeSpan.Zero), withOffset);
        Assert.Equal(TimeSpan.Zero, withOffset.Offset);

        var withoutZone = KrakenVenue.ParseTicker("""{"tickers":[{"symbol":"PF_XBTUSD","lastTime":"2026-01-13T21:29:41"}]}""").Time;
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 29, 41, TimeSpan.Zero), withoutZone);
        Assert.Equal(TimeSpan.Zero, withoutZone.Offset);
    }

    [Theory]
    [InlineData("[]", "kraken tickers: expected an object")]
    [InlineData("""{"result":"error","error":"apiLimitExceeded"}""", "kraken tickers: result error apiLimitExceeded")]
    [InlineData("""{"result":"error"}""", "kraken tickers: result error ")]
    [InlineData("""{"result":"success"}""", "kraken tickers: field 'tickers' is missing")]
    [InlineData("""{"tickers":{}}""", "kraken tickers: expected a list, got Object")]
    [InlineData("""{"tickers":[{"symbol":"PI_XBTUSD","lastTime":"2026-01-13T21:29:41Z"}]}""", "kraken tickers: no PF_XBTUSD")]
    [InlineData("""{"tickers":[{"symbol":"PF_XBTUSD"}]}""", "kraken tickers: no time")]
    [InlineData("""{"serverTime":"soon","tickers":[{"symbol":"PF_XBTUSD","lastTime":"later"}]}""", "kraken tickers: no time")]
    public void Ticker_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(json));

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
