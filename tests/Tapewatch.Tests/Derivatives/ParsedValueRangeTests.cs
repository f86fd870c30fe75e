using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Bugs the parser fuzzer found in arithmetic on parsed derivatives values (each input is in Fuzz/Corpus): every one is
/// now a clean outcome — a value left out with a note, a format error, or no value — never an unhandled exception.
/// </summary>
public sealed class ParsedValueRangeTests
{
    private const decimal Dust = 0.000000000000000000000000001m;
    private static readonly DerivativesOptions Options = new();
    private static readonly DateTimeOffset AsOf = new(2026, 1, 13, 21, 30, 0, TimeSpan.Zero);

    /// <summary>The venue's fixture documents, one of them edited.</summary>
    private static InMemoryVenueDocuments Documents(string venue, string file, string from, string to)
    {
        var documents = Directory.GetFiles(Fixtures.Directory, venue + "_*.json").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => File.ReadAllText(f));
        var name = Path.GetFileNameWithoutExtension(file);
        Assert.Contains(from, documents[name], StringComparison.Ordinal);
        documents[name] = documents[name].Replace(from, to, StringComparison.Ordinal);
        return new InMemoryVenueDocuments(documents);
    }

    private static VenueReading Read(DerivativesVenue venue, InMemoryVenueDocuments documents) =>
        venue.ReadAsync(documents, Options, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Binance_open_interest_history_with_a_dust_open_interest_has_no_implied_price_instead_of_an_OverflowException()
    {
        var json = File.ReadAllText(Fixtures.Path("binance_futures_data_openInterestHist_BTCUSDT_1h.json")).Replace("\"101900.00000000\"", "\"0.000000000000000000000000001\"", StringComparison.Ordinal);

        var history = BinanceVenue.ParseOpenInterestHistory(json);

        Assert.Null(history.LatestPrice); // 9,681,000,000 / 1e-28 is no price (and beyond decimal)
        Assert.Equal(3, history.Points.Count);
        Assert.Equal(Dust, history.Points[^1].Btc);
    }

    [Fact]
    public void Basis_against_a_dust_spot_is_no_basis_instead_of_an_OverflowException()
    {
        var quotes = new[] { new FuturesQuote("BTCUSD_260327", BasisMath.ExpiryUtc(new DateOnly(2026, 3, 27)), 96_400m) };
        Assert.Null(BasisMath.ThreeMonth(quotes, Dust, AsOf, BasisMethod.Constant90));
        Assert.Null(BasisMath.ThreeMonth([quotes[0] with { Price = 79_228_162_514_264_337_593_543_950_335m }], 95_000m, AsOf, BasisMethod.Constant90));
        Assert.NotNull(BasisMath.ThreeMonth(quotes, 95_000m, AsOf, BasisMethod.Constant90));
    }

    [Fact]
    public void Two_quotes_of_one_expiry_exactly_90_days_out_do_not_divide_by_zero()
    {
        var expiry = BasisMath.ExpiryUtc(new DateOnly(2026, 3, 27));
        var quotes = new[] { new FuturesQuote("A_260327", expiry, 96_000m), new FuturesQuote("B_260327", expiry, 97_000m) };

        var basis = BasisMath.ThreeMonth(quotes, 95_000m, expiry.AddDays(-90), BasisMethod.Constant90);

        Assert.NotNull(basis);
        Assert.Equal(90m, basis.Days);
    }

    [Fact]
    public void Open_interest_change_against_a_dust_reference_is_not_computed_instead_of_an_OverflowException()
    {
        var reading = new VenueReading { Venue = "binance", AsOfUtc = AsOf, OpenInterestBtc = 102_000m };
        var notes = new List<string>();

        var change = DerivativesComposite.OpenInterestChange([reading], AsOf.AddDays(-7), new Dictionary<string, OpenInterestPoint> { ["binance"] = new(AsOf.AddDays(-7), Dust) }, notes);

        Assert.Null(change);
        Assert.Contains(notes, n => n.Contains("out of range", StringComparison.Ordinal));
    }

    [Fact]
    public void Composite_index_implied_by_a_dust_open_interest_is_left_out_instead_of_an_OverflowException()
    {
        var dust = new VenueReading { Venue = "okx", AsOfUtc = AsOf, OpenInterestBtc = Dust, OpenInterestUsd = 2_850_000_000m };
        var seven = new VenueReading { Venue = "bybit", AsOfUtc = AsOf, OpenInterestBtc = 7m, OpenInterestUsd = 2_435_429_281m }; // 347,918,468.71 USD per BTC
        var outcomes = new[] { dust, seven }.Select(r => new VenueOutcome { Venue = r.Venue, Status = VenueStatus.Ok, Reading = r }).ToList();

        var composite = DerivativesComposite.Build(outcomes, AsOf, Options);

        Assert.Null(composite.IndexPriceUsd);
    }

    [Fact]
    public void Coinalyze_funding_weighted_by_a_rate_beyond_range_is_rejected_instead_of_an_OverflowException()
    {
        var at = AsOf;
        CoinalyzeVenue.Row Row(decimal value) => new("BTCUSDT_PERP.A", value, at);

        var (rate, _, note) = CoinalyzeVenue.Funding([Row(79_228_162_514_264_337_593_543_950_335m)], [Row(9_690_000_000m)], ["BTCUSDT_PERP.A"], 8m, 0.005m);

        Assert.Null(rate);
        Assert.Contains("out of range", note, StringComparison.Ordinal);

        // Read whole, the implausible rate is left out before the weighting, with a note.
        var reading = Read(new CoinalyzeVenue(), Documents("coinalyze", "coinalyze_funding-rate_BTC.json", "\"value\":0.005", "\"value\":9223372036854775808"));
        Assert.Contains(reading.Notes, n => n.Contains("funding-rate BTCUSDT_PERP.A", StringComparison.Ordinal) && n.Contains("plausible", StringComparison.Ordinal));
        Assert.True(reading.Partial);
    }

    [Fact]
    public void Kraken_absolute_funding_beyond_decimal_range_is_rejected_instead_of_an_OverflowException()
    {
        var (rate, note) = KrakenVenue.NormaliseFunding(79_228_162_514_264_337_593_543_950_335m, 1m, 1m, 0.005m);
        Assert.Null(rate);
        Assert.Contains("out of range", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Funding_of_700_percent_per_period_is_left_out_with_a_note_instead_of_entering_the_composite()
    {
        var reading = Read(new BybitVenue(), Documents("bybit", "bybit_v5_market_funding_history_BTCUSDT.json", "\"fundingRate\":\"0.00003\"", "\"fundingRate\":\"+7\""));

        Assert.Null(reading.FundingRate8h);
        Assert.True(reading.Partial);
        Assert.Contains(reading.Notes, n => n.StartsWith("funding: 7 is outside the plausible range", StringComparison.Ordinal));
        Assert.Equal(55_000m, reading.OpenInterestBtc); // the rest of the venue is still read
    }

    [Fact]
    public void Deribit_funding_8h_of_700_percent_is_left_out_with_a_note()
    {
        var reading = Read(new DeribitVenue(), Documents("deribit", "deribit_api_v2_public_get_book_summary_by_currency_BTC.json", "\"funding_8h\":4e-05", "\"funding_8h\":7"));
        Assert.Null(reading.FundingRate8h);
        Assert.Contains(reading.Notes, n => n.StartsWith("funding_8h", StringComparison.Ordinal));
    }

    [Fact]
    public void A_zero_index_price_is_left_out_instead_of_valuing_open_interest_at_nothing()
    {
        var reading = Read(new OkxVenue(), Documents("okx", "okx_api_v5_market_index-tickers_BTC-USD.json", "\"idxPx\":\"95000\"", "\"idxPx\":\"0\""));

        Assert.Null(reading.IndexPriceUsd);
        Assert.Null(reading.Basis3mAnnualizedPct);
        Assert.Equal(2_850_000_000m, reading.OpenInterestUsd); // the venue's own USD figure
        Assert.Contains(reading.Notes, n => n.StartsWith("index price: 0 is outside", StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_price_of_7_usd_gives_no_basis_of_6_million_percent()
    {
        var reading = Read(new BinanceVenue(), Documents("binance", "binance_dapi_v1_premiumIndex_BTCUSD.json", "\"indexPrice\":\"95000.0\"", "\"indexPrice\":\"7\""));

        Assert.Null(reading.Basis3mAnnualizedPct);
        Assert.Contains(reading.Notes, n => n.StartsWith("basis: ", StringComparison.Ordinal) && n.Contains("plausible", StringComparison.Ordinal));
        Assert.Equal(0.00005m, reading.FundingRate8h);
    }

    [Fact]
    public void Deribit_usd_open_interest_at_an_index_of_7_usd_is_no_open_interest_beyond_all_bitcoin()
    {
        var reading = Read(new DeribitVenue(), Documents("deribit", "deribit_api_v2_public_get_index_price_btc_usd.json", "\"index_price\":95000.0", "\"index_price\":7"));

        Assert.Null(reading.OpenInterestBtc); // 950,000,000 USD / 7 = 135,714,285 BTC
        Assert.Contains(reading.Notes, n => n.StartsWith("open interest (USD / index)", StringComparison.Ordinal));
    }

    [Fact]
    public void Negative_open_interest_and_prices_are_left_out_with_a_note()
    {
        var deribit = Read(new DeribitVenue(), Documents("deribit", "deribit_api_v2_public_get_book_summary_by_currency_BTC.json", "\"open_interest\":950000000", "\"open_interest\":-1"));
        Assert.Null(deribit.OpenInterestUsd);
        Assert.Null(deribit.OpenInterestBtc);

        var kraken = Read(new KrakenVenue(), Documents("kraken", "kraken_derivatives_api_v3_tickers_XBT.json", "\"markPrice\":95014.0", "\"markPrice\":-1"));
        Assert.Equal(Math.Round(2100.5m * 95_000m, 0), kraken.OpenInterestUsd); // valued at the index instead

        var binance = Read(new BinanceVenue(), Documents("binance", "binance_futures_data_openInterestHist_BTCUSDT_1h.json", "\"100000.00000000\"", "\"-2147483649\""));
        Assert.Equal(2, binance.OpenInterestHistory.Count);
        Assert.Contains(binance.Notes, n => n.Contains("1 point(s) outside the plausible open interest", StringComparison.Ordinal));
    }

    [Fact]
    public void A_venue_reading_dated_before_bitcoin_is_malformed_instead_of_breaking_the_session_lookup()
    {
        var documents = Documents("kraken", "kraken_derivatives_api_v3_tickers_XBT.json", "2026-01-13T21:29:58.120Z", "0001-01-01T21:29:58.120Z");

        var ex = Assert.Throws<VenueRequestException>(() => Read(new KrakenVenue(), documents));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Contains("not plausible", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cftc_single_report_of_0001_01_01_has_no_previous_week_instead_of_an_ArgumentOutOfRangeException()
    {
        var cme = CftcCot.Compute([new CotRow(new DateOnly(1, 1, 1), CftcCot.BitcoinCode, 24_000, 500, "BITCOIN")])!;

        Assert.Null(cme.PreviousReportDate);
        Assert.Equal(2_500m, cme.ChangeBtc);
    }

    [Fact]
    public void Cftc_change_between_counts_near_the_long_range_does_not_wrap_around()
    {
        var cme = CftcCot.Compute([new CotRow(new DateOnly(2026, 1, 6), CftcCot.BitcoinCode, long.MaxValue, null, "B"), new CotRow(new DateOnly(2025, 12, 30), CftcCot.BitcoinCode, -1, null, "B")])!;

        Assert.Equal(((decimal)long.MaxValue + 1m) * 5m, cme.ChangeBtc); // a long subtraction wrapped to long.MinValue
    }

    [Fact]
    public void Cftc_open_interest_summed_beyond_a_long_is_a_format_error_instead_of_an_OverflowException()
    {
        var d = new DateOnly(2026, 1, 6);
        var ex = Assert.Throws<VenueFormatException>(() => CftcCot.Compute([new CotRow(d, CftcCot.BitcoinCode, long.MaxValue, null, "B", d.AddDays(10)), new CotRow(d, CftcCot.BitcoinCode, long.MaxValue, null, "B", d.AddDays(40))]));
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coinbase_close_of_1e_28_is_a_format_error_instead_of_a_price_that_later_overflows_a_forward_return()
    {
        var json = File.ReadAllText(Fixtures.Path("coinbase_products_BTC-USD_candles_1h.json")).Replace("95210.0,", "0.000000000000000000000000001,", StringComparison.Ordinal);

        var ex = Assert.Throws<VenueFormatException>(() => BtcCloses.ParseCandles(json));

        Assert.Contains("not a plausible BTC price", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, BtcCloses.ParseCandles(File.ReadAllText(Fixtures.Path("coinbase_products_BTC-USD_candles_1h.json"))).Count);
    }

    [Fact]
    public void Cftc_negative_open_interest_is_a_format_error()
    {
        const string header = "\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"\n";
        Assert.Throws<VenueFormatException>(() => CftcCot.ParseCsv(header + "\"BITCOIN\",2024-02-06,133741 ,   -5\n"));
        Assert.Throws<VenueFormatException>(() => CftcCot.ParseJson("""[{"report_date_as_yyyy_mm_dd":"2026-01-06T00:00:00.000","cftc_contract_market_code":"133741","open_interest_all":"-5"}]"""));
    }
}
