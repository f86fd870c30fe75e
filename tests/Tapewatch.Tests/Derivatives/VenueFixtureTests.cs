using System.Text.Json;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Local.Commands;
using Tapewatch.Tests.Fuzz;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Golden tests over our own fixtures (same shapes as the venues' answers, all as of 2026-01-13 21:30Z, 30 minutes
/// after the EST close): Deribit book summary + index, Binance delivery contracts, OKX REST envelopes, Kraken.
/// Hand-checked basis: S = 95,000, Mar 27 at 72.4375 d, Jun 26 at 163.4375 d, interpolated to 90 d.
/// </summary>
public sealed class VenueFixtureTests
{
    private static readonly DerivativesOptions Options = new();
    private static RecordedVenueDocuments Docs => new(Fixtures.Directory);

    [Fact]
    public async Task Deribit_perpetual_funding_oi_in_usd_and_quarterly_basis()
    {
        var r = await new DeribitVenue().ReadAsync(Docs, Options, CancellationToken.None);
        Assert.Equal(0.00004m, r.FundingRate8h);
        Assert.Equal(4.38m, r.FundingAnnualizedPct);
        Assert.Equal(950_000_000m, r.OpenInterestUsd);
        Assert.Equal(10_000m, r.OpenInterestBtc);       // 950 m USD / 95,000
        Assert.Equal(95_000m, r.IndexPriceUsd);
        // Mar: (96,500/95,000 − 1) × 365/72.4375 = 7.956042 %; Jun: (98,800/95,000 − 1) × 365/163.4375 = 8.933078 %
        // → 7.956042 + (8.933078 − 7.956042) × 17.5625/91 = 8.144605 %. Weeklies/monthlies are ignored.
        Assert.Equal(8.144605m, Math.Round(r.Basis3mAnnualizedPct!.Value, 6));
        Assert.Contains("BTC-27MAR26", r.BasisDetail, StringComparison.Ordinal);
        Assert.Contains("BTC-26JUN26", r.BasisDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("30JAN26", r.BasisDetail, StringComparison.Ordinal);
        Assert.False(r.Partial);
    }

    [Fact]
    public async Task Binance_delivery_contracts_give_the_basis_and_funding_comes_from_settlements()
    {
        var r = await new BinanceVenue().ReadAsync(Docs, Options, CancellationToken.None);
        Assert.Equal(7.625828m, Math.Round(r.Basis3mAnnualizedPct!.Value, 6)); // 96,400 and 98,600 against 95,000
        Assert.Equal(0.00005m, r.FundingRate8h);                                 // latest settled, not lastFundingRate 0.00006
        Assert.Equal(102_000m, r.OpenInterestBtc);
        Assert.Equal(Math.Round(102_000m * 95_020m, 0), r.OpenInterestUsd);      // valued at the mark price
        Assert.Equal(3, r.OpenInterestHistory.Count);
    }

    [Fact]
    public async Task Okx_rest_envelopes_give_settled_funding_and_the_basis()
    {
        var r = await new OkxVenue().ReadAsync(Docs, Options, CancellationToken.None);
        Assert.Equal(0.00006m, r.FundingRate8h);
        Assert.Equal(30_000m, r.OpenInterestBtc);
        Assert.Equal(2_850_000_000m, r.OpenInterestUsd);
        Assert.Equal(7.88522m, Math.Round(r.Basis3mAnnualizedPct!.Value, 5)); // as of the index time, 0.8 s earlier
    }

    /// <summary>
    /// Field by field: every value a parser reads from a fixture is the value at its JSON path, in the element its record
    /// came from, derived values by their transform (the mapping of the parser's fuzz target in ParserFuzzTargets.All).
    /// </summary>
    [Theory]
    [InlineData("binance-premium-index", "binance_fapi_v1_premiumIndex_BTCUSDT.json", 4)]
    [InlineData("binance-funding", "binance_fapi_v1_fundingRate_BTCUSDT.json", 4)]
    [InlineData("binance-open-interest", "binance_fapi_v1_openInterest_BTCUSDT.json", 2)]
    [InlineData("binance-open-interest-hist", "binance_futures_data_openInterestHist_BTCUSDT_1h.json", 8)]
    [InlineData("binance-delivery", "binance_dapi_v1_premiumIndex_BTCUSD.json", 8)]
    [InlineData("bybit-funding", "bybit_v5_market_funding_history_BTCUSDT.json", 4)]
    [InlineData("bybit-open-interest", "bybit_v5_market_open-interest_BTCUSDT_1h.json", 4)]
    [InlineData("bybit-ticker", "bybit_v5_market_tickers_BTCUSDT.json", 3)]
    [InlineData("deribit-book", "deribit_api_v2_public_get_book_summary_by_currency_BTC.json", 20)]
    [InlineData("deribit-index", "deribit_api_v2_public_get_index_price_btc_usd.json", 2)]
    [InlineData("kraken-tickers", "kraken_derivatives_api_v3_tickers_XBT.json", 6)]
    [InlineData("okx-funding", "okx_api_v5_public_funding-rate_BTC-USDT-SWAP.json", 3)]
    [InlineData("okx-open-interest", "okx_api_v5_public_open-interest_BTC-USDT-SWAP.json", 3)]
    [InlineData("okx-futures-marks", "okx_api_v5_public_mark-price_BTC-USD.json", 9)]
    [InlineData("okx-index", "okx_api_v5_market_index-tickers_BTC-USD.json", 2)]
    [InlineData("coinbase-candles", "coinbase_products_BTC-USD_candles_1h.json", 12)]
    [InlineData("coinalyze-open-interest", "coinalyze_open-interest_BTC.json", 21)]
    [InlineData("coinalyze-funding", "coinalyze_funding-rate_BTC.json", 18)]
    [InlineData("cftc-json", "cftc_resource_6dca-aqww_bitcoin.json", 25)]
    public void Each_value_a_parser_reads_from_a_fixture_is_the_value_at_its_path(string target, string fixture, int values)
    {
        var verdict = ParserFuzzTargets.Named(target).Check(File.ReadAllText(Fixtures.Path(fixture)));

        Assert.True(verdict.Violations.Count == 0, string.Join("\n", verdict.Violations));
        Assert.Equal(values, verdict.CheckedValues);
    }

    [Fact]
    public void Okx_error_envelope_is_a_format_error_with_the_code()
    {
        var ex = Assert.Throws<VenueFormatException>(() => OkxVenue.ParseOpenInterest("""{"code":"51001","msg":"Instrument ID does not exist","data":[]}"""));
        Assert.Contains("51001", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kraken_funding_without_a_price_or_implausible_after_normalising_is_rejected_with_a_reason()
    {
        var (noPrice, why) = KrakenVenue.NormaliseFunding(0.475m, null, 1m, 0.005m);
        Assert.Null(noPrice);
        Assert.Contains("absolute", why, StringComparison.Ordinal);

        var (tooBig, why2) = KrakenVenue.NormaliseFunding(500m, 95_000m, 1m, 0.005m);
        Assert.Null(tooBig);
        Assert.Contains("rejected", why2, StringComparison.Ordinal);

        var (ok, _) = KrakenVenue.NormaliseFunding(0.475m, 95_000m, 1m, 0.005m);
        Assert.Equal(0.00004m, ok); // 0.475/95,000 = 5e-6 per hour × 8
    }

    [Fact]
    public void String_decimals_numbers_and_empty_strings_are_read_leniently()
    {
        using var doc = JsonDocument.Parse("""{"a":"0.00007995","b":0.5,"c":"","d":null,"e":"1.87001775e-10","f":"abc"}""");
        var e = doc.RootElement;
        Assert.Equal(0.00007995m, VenueJson.Decimal(e, "a"));
        Assert.Equal(0.5m, VenueJson.Decimal(e, "b"));
        Assert.Null(VenueJson.Decimal(e, "c"));
        Assert.Null(VenueJson.Decimal(e, "d"));
        Assert.Null(VenueJson.Decimal(e, "missing"));
        Assert.Equal(1.87001775e-10m, VenueJson.Decimal(e, "e"));
        Assert.Throws<VenueFormatException>(() => VenueJson.Decimal(e, "f"));
    }

    [Fact]
    public async Task Cli_dry_run_json_prints_every_venue_and_the_composites()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var request = new DerivativesRunRequest { RecordedDirectory = Fixtures.Directory, DryRun = true };
        var code = await IngestDerivativesCommand.RunAsync(request, storage: null, json: true, output, error, CancellationToken.None);
        Assert.True(code == 0, error.ToString());

        using var doc = JsonDocument.Parse(output.ToString());
        var reading = doc.RootElement.GetProperty("reading");
        var venues = reading.GetProperty("venues").EnumerateArray().ToDictionary(v => v.GetProperty("venue").GetString()!, v => v.GetProperty("status").GetString());
        Assert.Equal(["binance", "bybit", "coinalyze", "deribit", "kraken", "okx"], venues.Keys.Order().ToArray());
        Assert.All(venues.Values, s => Assert.Equal("Ok", s));

        // Coinalyze (recorded, so no key needed) is reported alongside: its USD aggregate valued at the composite
        // index, and none of the composites below include it.
        var coinalyze = reading.GetProperty("venues").EnumerateArray().Single(v => v.GetProperty("venue").GetString() == "coinalyze").GetProperty("reading");
        Assert.True(coinalyze.GetProperty("reportedAlongside").GetBoolean());
        Assert.Equal(19_760_000_000m, coinalyze.GetProperty("openInterestUsd").GetDecimal());
        Assert.Equal(Math.Round(19_760_000_000m / reading.GetProperty("indexPriceUsd").GetDecimal(), 2), coinalyze.GetProperty("openInterestBtc").GetDecimal());
        Assert.DoesNotContain("coinalyze", reading.GetProperty("fundingVenues").EnumerateArray().Select(v => v.GetString()!));

        // Basis: mean of Binance 7.625828, Deribit 8.144605, OKX 7.885216.
        Assert.Equal(7.8852m, reading.GetProperty("basis3mAnnualizedPct").GetDecimal());
        Assert.Equal(["binance", "deribit", "okx"], reading.GetProperty("basisVenues").EnumerateArray().Select(v => v.GetString()!).ToArray());
        // Offshore OI: 102,000 + 55,000 + 10,000 + 2,100.5 + 30,000.
        Assert.Equal(199_100.5m, reading.GetProperty("offshoreOpenInterestBtc").GetDecimal());
        // Funding weighted by OI (BTC): (5e-5×102,000 + 3e-5×55,000 + 4e-5×10,000 + 4e-5×2,100.5 + 6e-5×30,000) / 199,100.5.
        var expected = ((0.00005m * 102_000m) + (0.00003m * 55_000m) + (0.00004m * 10_000m) + (0.00004m * 2_100.5m) + (0.00006m * 30_000m)) / 199_100.5m;
        Assert.Equal(Math.Round(expected, 10), reading.GetProperty("fundingRate8h").GetDecimal());
        // 5-session change, like for like: only Binance has OI at the 6 Jan close (100,000 → 102,000).
        var change = reading.GetProperty("openInterestChange5Sessions");
        Assert.Equal(2m, change.GetProperty("changePct").GetDecimal());
        Assert.Equal(["binance"], change.GetProperty("venues").EnumerateArray().Select(v => v.GetString()!).ToArray());

        Assert.Equal(123_000m, doc.RootElement.GetProperty("cme").GetProperty("openInterestBtc").GetDecimal());
        Assert.Equal(95_123.45m, doc.RootElement.GetProperty("close").GetProperty("closeUsd").GetDecimal());
        Assert.Equal("2026-01-13", doc.RootElement.GetProperty("session").GetString());
        Assert.Equal("dry-run", doc.RootElement.GetProperty("snapshotAction").GetString());
    }

    [Fact]
    public async Task Cli_without_storage_and_without_dry_run_is_a_configuration_error()
    {
        var error = new StringWriter();
        var code = await IngestDerivativesCommand.RunAsync(new DerivativesRunRequest { RecordedDirectory = Fixtures.Directory }, null, false, new StringWriter(), error, CancellationToken.None,
            new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = "", ["Tapewatch:Storage:TableServiceUri"] = "" }); // beats the environment
        Assert.Equal(3, code);
        Assert.Contains("--dry-run", error.ToString(), StringComparison.Ordinal);
    }
}
