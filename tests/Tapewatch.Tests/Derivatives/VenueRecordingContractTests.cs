using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Derivatives;

/// <summary>Contract tests over the real recorded responses in tests/data/derivatives.</summary>
public sealed class VenueRecordingContractTests
{
    private static string Read(params string[] parts) => File.ReadAllText(TestPaths.DataFile(parts));

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [Fact]
    public void Binance_funding_history_takes_the_latest_settlement_despite_ms_jitter()
    {
        var f = BinanceVenue.ParseFundingHistory(Read("derivatives", "binance_fapi_v1_fundingRate_BTCUSDT.json"));
        Assert.Equal(0.00009029m, f.Rate);
        Assert.Equal(Ms(1788883200001), f.AtUtc);
        Assert.Equal(TimeSpan.FromHours(8), f.Interval); // settlements 8 h apart give or take a few ms
        Assert.Equal(9.8868m, Math.Round(DerivativesVenue.Per8h(f) * 3 * 365 * 100, 4));
    }

    [Fact]
    public void Binance_open_interest_is_in_btc_with_a_ms_timestamp()
    {
        var oi = BinanceVenue.ParseOpenInterest(Read("derivatives", "binance_fapi_v1_openInterest_BTCUSDT.json"));
        Assert.Equal(106499.782m, oi.Btc);
        Assert.Equal(Ms(1788909265562), oi.AtUtc);
    }

    [Fact]
    public void Binance_open_interest_history_is_ordered_and_implies_a_price()
    {
        var h = BinanceVenue.ParseOpenInterestHistory(Read("derivatives", "binance_futures_data_openInterestHist_BTCUSDT_1h.json"));
        Assert.Equal(25, h.Points.Count);
        Assert.Equal(106422.356m, h.Points[^1].Btc);
        Assert.True(h.Points.Zip(h.Points.Skip(1)).All(p => p.First.AtUtc < p.Second.AtUtc));
        Assert.Equal(Math.Round(8356943211.7272m / 106422.356m, 2), h.LatestPrice);
    }

    [Fact]
    public void Bybit_newest_first_lists_are_read_by_time_not_position()
    {
        var f = BybitVenue.ParseFundingHistory(Read("derivatives", "bybit_v5_market_funding_history_BTCUSDT.json"));
        Assert.Equal(0.00005769m, f.Rate);
        Assert.Equal(Ms(1788883200000), f.AtUtc);
        Assert.Equal(TimeSpan.FromHours(8), f.Interval);

        var oi = BybitVenue.ParseOpenInterest(Read("derivatives", "bybit_v5_market_open-interest_BTCUSDT_1h.json"));
        Assert.Equal(25, oi.Count);
        Assert.Equal(Ms(1788908400000), oi[^1].AtUtc);
        Assert.Equal(56404.953m, oi[^1].Btc);
        Assert.Equal(54469.1m, oi[0].Btc);
    }

    [Fact]
    public void Okx_websocket_pushes_with_empty_string_fields_are_read()
    {
        var f = OkxVenue.ParseFunding(Read("derivatives", "okx_ws_funding-rate_BTC-USDT-SWAP.json"));
        Assert.Equal(0.0000479022334781m, f.Observation.Rate); // settled, not the forecast 0.0000614…
        Assert.Equal(TimeSpan.FromHours(8), f.Observation.Interval);
        Assert.Equal(Ms(1791129600000), f.Observation.AtUtc);
        Assert.Null(f.Note);

        var oi = OkxVenue.ParseOpenInterest(Read("derivatives", "okx_ws_open-interest_BTC-USDT-SWAP.json"));
        Assert.Equal(28543.1750000000943m, oi.Btc);
        Assert.Equal(2435429280.97000804609092m, oi.Usd);
        Assert.Equal(Ms(1791135341936), oi.At);
    }

    [Fact]
    public void Kraken_absolute_funding_is_normalised_by_the_index_price()
    {
        var t = KrakenVenue.ParseTicker(Read("derivatives", "kraken_futures_v3_tickers_XBT_perps.json"));
        Assert.Equal(0.24851358871905724m, t.AbsoluteFundingRate);
        Assert.Equal(2080.7149m, t.OpenInterestBtc);
        Assert.Equal(78107.73m, t.IndexPrice);

        var (rate8h, note) = KrakenVenue.NormaliseFunding(t.AbsoluteFundingRate, t.IndexPrice, 1m, 0.005m);
        Assert.NotNull(rate8h);
        // 0.2485 USD per BTC per hour / 78,107.73 = 3.18e-6 per hour → 2.545e-5 per 8 h → 2.79 % a year,
        // not 0.2485 × 3 × 365 = 27,000 % as the raw number would suggest.
        Assert.Equal(2.787m, Math.Round(rate8h.Value * 3 * 365 * 100, 3));
        Assert.Contains("normalised", note, StringComparison.Ordinal);
    }

    /// <summary>Field by field: every value read from a real recording is the value at its JSON path (the fuzz target's mapping).</summary>
    [Theory]
    [InlineData("binance-funding", "binance_fapi_v1_fundingRate_BTCUSDT.json", 4)]
    [InlineData("binance-open-interest", "binance_fapi_v1_openInterest_BTCUSDT.json", 2)]
    [InlineData("binance-open-interest-hist", "binance_futures_data_openInterestHist_BTCUSDT_1h.json", 52)]
    [InlineData("bybit-funding", "bybit_v5_market_funding_history_BTCUSDT.json", 4)]
    [InlineData("bybit-open-interest", "bybit_v5_market_open-interest_BTCUSDT_1h.json", 50)]
    [InlineData("kraken-tickers", "kraken_futures_v3_tickers_XBT_perps.json", 6)]
    [InlineData("okx-funding", "okx_ws_funding-rate_BTC-USDT-SWAP.json", 3)]
    [InlineData("okx-open-interest", "okx_ws_open-interest_BTC-USDT-SWAP.json", 3)]
    public void Each_value_read_from_a_recording_is_the_value_at_its_path(string target, string recording, int values)
    {
        var verdict = Tapewatch.Tests.Fuzz.ParserFuzzTargets.Named(target).Check(Read("derivatives", recording));

        Assert.True(verdict.Violations.Count == 0, string.Join("\n", verdict.Violations));
        Assert.Equal(values, verdict.CheckedValues);
    }

    [Fact]
    public async Task Recorded_folder_reads_every_venue_it_finds()
    {
        var dir = TestPaths.DataFile("derivatives");
        var docs = new RecordedVenueDocuments(dir);
        Assert.True(docs.HasVenue("binance") && docs.HasVenue("okx") && docs.HasVenue("bybit") && docs.HasVenue("kraken"));
        Assert.False(docs.HasVenue("deribit"));

        var okx = await new OkxVenue().ReadAsync(docs, new DerivativesOptions(), CancellationToken.None);
        Assert.Equal(28543.1750000000943m, okx.OpenInterestBtc);
        Assert.True(okx.Partial); // no futures/index recordings: no basis, and it says why
        Assert.Contains(okx.Notes, n => n.Contains("mark-price", StringComparison.Ordinal));
    }
}
