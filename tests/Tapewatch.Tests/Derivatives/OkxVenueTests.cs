using System.Text.Json;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// OKX: the four requests (with the websocket recording aliases), the REST envelope and websocket pushes, the settled
/// funding rate and its interval, open interest in BTC and USD, the BTC-USD futures marks and index, and how the
/// reading falls back when a part is missing.
/// </summary>
public sealed class OkxVenueTests
{
    private const string FundingPath = "/api/v5/public/funding-rate";
    private const string OpenInterestPath = "/api/v5/public/open-interest";
    private const string MarksPath = "/api/v5/public/mark-price";
    private const string IndexPath = "/api/v5/market/index-tickers";
    private const string Forecast = "funding: current period's forecast (no settled rate in the answer)";

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [FundingPath] = """{"code":"0","msg":"","data":[{"fundingRate":"0.0000700000000000","fundingTime":"1768348800000","instId":"BTC-USDT-SWAP","nextFundingTime":"1768377600000","prevFundingTime":"1768320000000","settFundingRate":"0.0000600000000000","ts":"1768339798000"}]}""",
        [OpenInterestPath] = """{"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","oi":"3000000","oiCcy":"30000","oiUsd":"2850000000","ts":"1768339798500"}]}""",
        [MarksPath] = """{"code":"0","msg":"","data":[{"instId":"BTC-USD-260116","markPx":"95070.1","ts":"1768339799100"},{"instId":"BTC-USD-260327","markPx":"96450.0","ts":"1768339799100"},{"instId":"BTC-USD-260626","markPx":"98700.0","ts":"1768339799100"}]}""",
        [IndexPath] = """{"code":"0","msg":"","data":[{"instId":"BTC-USD","idxPx":"95000","ts":"1768339799200"}]}""",
    };

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static Task<VenueReading> Read(params (string Path, string? Body)[] changes) =>
        new OkxVenue().ReadAsync(ScriptedVenueDocuments.With(Answers, changes), new DerivativesOptions(), CancellationToken.None);

    private static string Envelope(string rows) => $$"""{"code":"0","msg":"","data":[{{rows}}]}""";

    private static string Refusal(Action parse) => Assert.Throws<VenueFormatException>(parse).Message;

    [Fact]
    public async Task The_four_requests_name_their_paths_parameters_and_recording_aliases()
    {
        var documents = ScriptedVenueDocuments.With(Answers);

        await new OkxVenue().ReadAsync(documents, new DerivativesOptions(), CancellationToken.None);

        Assert.Equal(
            [
                "okx BTC-USDT-SWAP https://www.okx.com/api/v5/public/funding-rate?instId=BTC-USDT-SWAP",
                "okx BTC-USDT-SWAP https://www.okx.com/api/v5/public/open-interest?instType=SWAP&instId=BTC-USDT-SWAP",
                "okx BTC-USD https://www.okx.com/api/v5/public/mark-price?instType=FUTURES&instFamily=BTC-USD",
                "okx BTC-USD https://www.okx.com/api/v5/market/index-tickers?instId=BTC-USD",
            ],
            documents.Requests.Select(ScriptedVenueDocuments.Describe));
        Assert.Equal(["ws/funding-rate"], documents.Requests[0].RecordedPathAliases);
        Assert.Equal(["ws/open-interest"], documents.Requests[1].RecordedPathAliases);
        Assert.Empty(documents.Requests[2].RecordedPathAliases);
        Assert.Empty(documents.Requests[3].RecordedPathAliases);
    }

    [Fact]
    public async Task A_full_read_gives_settled_funding_open_interest_in_btc_and_usd_the_index_and_the_basis()
    {
        var r = await Read();

        Assert.Equal("okx", r.Venue);
        Assert.Equal(Ms(1768339798500), r.AsOfUtc);         // the open interest's time
        Assert.Equal(0.00006m, r.FundingRate8h);            // settled, not the forecast 0.00007
        Assert.Equal(Ms(1768320000000), r.FundingTimeUtc);  // the previous (settled) funding time
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(30_000m, r.OpenInterestBtc);
        Assert.Equal(2_850_000_000m, r.OpenInterestUsd);    // the venue's own USD figure
        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Equal(7.88522m, Math.Round(r.Basis3mAnnualizedPct!.Value, 5));
        Assert.Equal("BTC-USD-260327 (72.4 d) ~ BTC-USD-260626 (163.4 d) interpolated to 90 d", r.BasisDetail);
        Assert.False(r.Partial);
        Assert.Empty(r.Notes);
    }

    [Fact]
    public async Task Without_a_usd_figure_open_interest_is_valued_at_the_index()
    {
        var r = await Read((OpenInterestPath, Envelope("""{"instId":"BTC-USDT-SWAP","oiCcy":"30000.5","oiUsd":"","ts":"1768339798500"}""")));

        Assert.Equal(2_850_047_500m, r.OpenInterestUsd);
    }

    [Fact]
    public async Task An_implausible_usd_figure_is_left_out_and_the_index_values_the_open_interest()
    {
        var r = await Read((OpenInterestPath, Envelope("""{"instId":"BTC-USDT-SWAP","oiCcy":"30000","oiUsd":"-1","ts":"1768339798500"}""")));

        Assert.Equal(2_850_000_000m, r.OpenInterestUsd);
        Assert.True(r.Partial);
        Assert.Equal(["open interest (USD): -1 is outside the plausible range; left out"], r.Notes);
    }

    [Fact]
    public async Task Without_a_usd_figure_or_an_index_open_interest_has_no_usd_value()
    {
        var r = await Read((IndexPath, null), (OpenInterestPath, Envelope("""{"instId":"BTC-USDT-SWAP","oiCcy":"30000","ts":"1768339798500"}""")));

        Assert.Equal(30_000m, r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Equal(["index-tickers: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task Implausible_open_interest_is_left_out_with_its_usd_figure()
    {
        var r = await Read((OpenInterestPath, Envelope("""{"instId":"BTC-USDT-SWAP","oiCcy":"-3","oiUsd":"2850000000","ts":"1768339798500"}""")));

        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(Ms(1768339798500), r.AsOfUtc);
        Assert.Equal(["open interest: -3 is outside the plausible range; left out"], r.Notes);
    }

    [Fact]
    public async Task Without_open_interest_the_reading_is_dated_by_the_index()
    {
        var r = await Read((OpenInterestPath, null));

        Assert.Equal(Ms(1768339799200), r.AsOfUtc);
        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(["open-interest: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task With_only_funding_the_reading_is_dated_by_the_funding_time()
    {
        var r = await Read((OpenInterestPath, null), (IndexPath, null), (MarksPath, null));

        Assert.Equal(Ms(1768320000000), r.AsOfUtc);
        Assert.Equal(0.00006m, r.FundingRate8h);
        Assert.Equal(["open-interest: HTTP 404", "mark-price: HTTP 404", "index-tickers: HTTP 404"], r.Notes);
    }

    [Fact]
    public async Task When_every_part_fails_the_read_fails_with_each_part_named()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((FundingPath, null), (OpenInterestPath, null), (MarksPath, null), (IndexPath, null)));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("funding-rate: HTTP 404; open-interest: HTTP 404; mark-price: HTTP 404; index-tickers: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task Without_quarterly_marks_there_is_no_basis_and_it_says_so()
    {
        var r = await Read((MarksPath, Envelope("""{"instId":"BTC-USD-260116","markPx":"95070.1"}""")));

        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Null(r.BasisDetail);
        Assert.Equal(["basis: no BTC-USD quarterly beyond the minimum days to expiry"], r.Notes);
    }

    [Fact]
    public async Task A_forecast_rate_is_used_with_a_note_after_the_other_notes()
    {
        var r = await Read(
            (MarksPath, null),
            (FundingPath, Envelope("""{"fundingRate":"0.00007","fundingTime":"1768348800000","instId":"BTC-USDT-SWAP","nextFundingTime":"1768377600000","settFundingRate":"","ts":"1768339798000"}""")));

        Assert.Equal(0.00007m, r.FundingRate8h);
        Assert.Equal(Ms(1768348800000), r.FundingTimeUtc);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(["mark-price: HTTP 404", Forecast], r.Notes);
    }

    [Fact]
    public async Task Funding_beyond_the_limit_is_left_out_with_its_time_and_interval()
    {
        var r = await Read((FundingPath, Envelope("""{"instId":"BTC-USDT-SWAP","settFundingRate":"0.006","prevFundingTime":"1768320000000","fundingTime":"1768348800000"}""")));

        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
        Assert.True(r.Partial);
    }

    // ---- envelopes ----

    private static int RowCount(string json, string what = "funding-rate")
    {
        using var doc = JsonDocument.Parse(json);
        return OkxVenue.Data(doc, what).Count;
    }

    private static string DataRefusal(string json, string what = "funding-rate")
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Throws<VenueFormatException>(() => OkxVenue.Data(doc, what)).Message;
    }

    [Theory]
    [InlineData("""{"code":"0","data":[{},{}]}""", 2)]
    [InlineData("""{"code":0,"data":[{}]}""", 1)]
    [InlineData("""{"arg":{"channel":"funding-rate"},"data":[{}]}""", 1)]
    [InlineData("""[{"event":"subscribe","arg":{}},{"arg":{},"data":[{}]},{"arg":{},"data":[{},{}]}]""", 3)]
    public void Rows_come_from_a_rest_envelope_or_from_every_push(string json, int rows) =>
        Assert.Equal(rows, RowCount(json));

    [Theory]
    [InlineData("""{"code":"51001","msg":"Instrument ID does not exist","data":[]}""", "okx open-interest: error 51001 Instrument ID does not exist")]
    [InlineData("""{"code":50011,"msg":"Too Many Requests"}""", "okx open-interest: error 50011 Too Many Requests")]
    [InlineData("""{"code":"1","data":[{}]}""", "okx open-interest: error 1 ")]
    [InlineData("""[{"arg":{},"data":[{}]},7]""", "okx open-interest: unexpected Number")]
    [InlineData("""{"arg":{}}""", "okx open-interest: field 'data' is missing")]
    [InlineData("""{"code":"0","data":"none"}""", "okx open-interest: expected a list, got String")]
    [InlineData("""{"code":"0","data":[]}""", "okx open-interest: no data")]
    [InlineData("""[{"event":"subscribe","arg":{}}]""", "okx open-interest: no data")]
    [InlineData("[]", "okx open-interest: no data")]
    public void Envelope_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, DataRefusal(json, "open-interest"));

    // ---- funding-rate ----

    [Fact]
    public void Funding_prefers_the_settled_rate_at_the_previous_funding_time()
    {
        var f = OkxVenue.ParseFunding(Answers[FundingPath]);

        Assert.Equal(new FundingObservation(0.00006m, TimeSpan.FromHours(8), Ms(1768320000000), "settled"), f.Observation);
        Assert.Null(f.Note);
    }

    [Fact]
    public void Funding_without_a_settled_rate_is_the_forecast_at_the_funding_time_with_a_note()
    {
        var f = OkxVenue.ParseFunding(Envelope("""{"instId":"BTC-USDT-SWAP","fundingRate":"0.00007","fundingTime":"1768348800000","prevFundingTime":"1768320000000","ts":"1768339798000"}"""));

        Assert.Equal(new FundingObservation(0.00007m, TimeSpan.FromHours(8), Ms(1768348800000), "current"), f.Observation);
        Assert.Equal(Forecast, f.Note);
    }

    [Theory]
    [InlineData("""{"settFundingRate":"0.0001","prevFundingTime":"1768320000000","fundingTime":"1768348800000","ts":"1768339798000"}""", 1768320000000)]
    [InlineData("""{"settFundingRate":"0.0001","fundingTime":"1768348800000","ts":"1768339798000"}""", 1768348800000)]
    [InlineData("""{"settFundingRate":"0.0001","ts":"1768339798000"}""", 1768339798000)]
    [InlineData("""{"fundingRate":"0.0001","prevFundingTime":"1768320000000","fundingTime":"1768348800000","ts":"1768339798000"}""", 1768348800000)]
    [InlineData("""{"fundingRate":"0.0001","prevFundingTime":"1768320000000","ts":"1768339798000"}""", 1768339798000)]
    public void The_funding_time_falls_back_from_the_settlement_to_the_answer_time(string row, long expected) =>
        Assert.Equal(Ms(expected), OkxVenue.ParseFunding(Envelope(row)).Observation.AtUtc);

    [Theory]
    [InlineData("""{"settFundingRate":"0.0001"}""")]
    [InlineData("""{"fundingRate":"0.0001"}""")]
    public void Funding_without_any_time_has_none(string row) =>
        Assert.Equal(default(DateTimeOffset), OkxVenue.ParseFunding(Envelope(row)).Observation.AtUtc);

    [Theory]
    [InlineData("""{"prevFundingTime":"1768334400000","fundingTime":"1768348800000","nextFundingTime":"1768377600000"}""", 4)]
    [InlineData("""{"prevFundingTime":"1768348800000","fundingTime":"1768348800000","nextFundingTime":"1768352400000"}""", 1)]
    [InlineData("""{"prevFundingTime":"1768352400000","fundingTime":"1768348800000","nextFundingTime":"1768356000000"}""", 2)]
    [InlineData("""{"fundingTime":"1768348800000","nextFundingTime":"1768356000000"}""", 2)]
    [InlineData("""{"fundingTime":"1768348800000","nextFundingTime":"1768348800000"}""", 8)]
    [InlineData("""{"prevFundingTime":"1768334400000","nextFundingTime":"1768377600000"}""", 8)]
    [InlineData("{}", 8)]
    public void The_interval_is_the_spacing_of_funding_times_else_8_hours(string times, int hours)
    {
        var row = times.Insert(1, "\"settFundingRate\":\"0.0001\"" + (times == "{}" ? "" : ","));

        Assert.Equal(TimeSpan.FromHours(hours), OkxVenue.ParseFunding(Envelope(row)).Observation.Interval);
    }

    [Fact]
    public void The_latest_push_for_the_swap_wins_and_other_instruments_are_ignored()
    {
        var f = OkxVenue.ParseFunding("""
            [
              {"arg":{},"data":[{"instId":"BTC-USDT-SWAP","settFundingRate":"0.0002","ts":"1768339798000"}]},
              {"arg":{},"data":[{"instId":"BTC-USDT-SWAP","settFundingRate":"0.0003","ts":"1768339799000"}]},
              {"arg":{},"data":[{"instId":"BTC-USDT-SWAP","settFundingRate":"0.0001","ts":"1768339797000"}]},
              {"arg":{},"data":[{"instId":"ETH-USDT-SWAP","settFundingRate":"0.0009","ts":"1768339800000"}]}
            ]
            """);

        Assert.Equal(0.0003m, f.Observation.Rate);
    }

    [Fact]
    public void A_row_without_an_instrument_is_taken_as_the_swap() =>
        Assert.Equal(0.0004m, OkxVenue.ParseFunding(Envelope("""{"settFundingRate":"0.0004"}""")).Observation.Rate);

    [Theory]
    [InlineData("""{"instId":"ETH-USDT-SWAP","settFundingRate":"0.0001"}""", "okx: no BTC-USDT-SWAP row")]
    [InlineData("""{"instId":"BTC-USDT-SWAP","fundingTime":"1768348800000"}""", "okx funding-rate: neither 'settFundingRate' nor 'fundingRate'")]
    [InlineData("""{"instId":"BTC-USDT-SWAP","settFundingRate":"","fundingRate":""}""", "okx funding-rate: neither 'settFundingRate' nor 'fundingRate'")]
    public void Funding_refusals_name_the_reason(string row, string reason) =>
        Assert.Equal(reason, Refusal(() => OkxVenue.ParseFunding(Envelope(row))));

    [Fact]
    public void A_funding_error_envelope_names_the_answer() =>
        Assert.Equal("okx funding-rate: error 51000 Parameter instId error", Refusal(() => OkxVenue.ParseFunding("""{"code":"51000","msg":"Parameter instId error","data":[]}""")));

    // ---- open-interest ----

    [Fact]
    public void Open_interest_reads_btc_usd_and_time() =>
        Assert.Equal(new OkxVenue.OpenInterest(30_000m, 2_850_000_000m, Ms(1768339798500)), OkxVenue.ParseOpenInterest(Answers[OpenInterestPath]));

    [Fact]
    public void Open_interest_takes_the_latest_swap_row_and_an_empty_usd_figure_is_none()
    {
        var oi = OkxVenue.ParseOpenInterest(Envelope("""{"instId":"BTC-USDT-SWAP","oiCcy":"1","ts":"1768339798000"},{"instId":"ETH-USDT-SWAP","oiCcy":"9","ts":"1768339799000"},{"oiCcy":"2","oiUsd":"","ts":"1768339798500"}"""));

        Assert.Equal(new OkxVenue.OpenInterest(2m, null, Ms(1768339798500)), oi);
    }

    [Theory]
    [InlineData("""{"instId":"ETH-USDT-SWAP","oiCcy":"1","ts":"1768339798000"}""", "okx: no BTC-USDT-SWAP row")]
    [InlineData("""{"instId":"BTC-USDT-SWAP","oi":"3000000","ts":"1768339798000"}""", "okx open-interest: field 'oiCcy' is missing or empty")]
    [InlineData("""{"instId":"BTC-USDT-SWAP","oiCcy":"30000"}""", "okx open-interest: 'ts' is missing")]
    public void Open_interest_refusals_name_the_reason(string row, string reason) =>
        Assert.Equal(reason, Refusal(() => OkxVenue.ParseOpenInterest(Envelope(row))));

    // ---- mark-price ----

    [Fact]
    public void Futures_marks_keep_dated_contracts_with_a_mark_expiring_at_8_utc()
    {
        var quotes = OkxVenue.ParseFuturesMarks(Envelope("""
            {"instId":"BTC-USD-260327","markPx":"96450.0"},
            {"instId":"BTC-USD-SWAP","markPx":"95000"},
            {"instId":"BTC-USD-260626","markPx":""},
            {"instId":"260925","markPx":"1"},
            {"markPx":"2"},
            {"instId":"-260925","markPx":"97000"}
            """));

        Assert.Equal(
            [
                new FuturesQuote("BTC-USD-260327", new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero), 96_450m),
                new FuturesQuote("-260925", new DateTimeOffset(2026, 9, 25, 8, 0, 0, TimeSpan.Zero), 97_000m),
            ],
            quotes);
    }

    [Fact]
    public void Futures_marks_of_no_dated_contract_are_an_empty_list() =>
        Assert.Empty(OkxVenue.ParseFuturesMarks(Envelope("""{"instId":"BTC-USD-SWAP","markPx":"95000"}""")));

    [Fact]
    public void Futures_marks_without_data_are_refused() =>
        Assert.Equal("okx mark-price: no data", Refusal(() => OkxVenue.ParseFuturesMarks("""{"code":"0","data":[]}""")));

    // ---- index-tickers ----

    [Fact]
    public void Index_takes_the_first_row() =>
        Assert.Equal(new OkxVenue.IndexPrice(95_000m, Ms(1768339799200)), OkxVenue.ParseIndex(Envelope("""{"idxPx":"95000","ts":"1768339799200"},{"idxPx":"1","ts":"1768339799999"}""")));

    [Theory]
    [InlineData("""{"ts":"1768339799200"}""", "okx index-tickers: field 'idxPx' is missing or empty")]
    [InlineData("""{"idxPx":"95000"}""", "okx index-tickers: 'ts' is missing")]
    public void Index_refusals_name_the_reason(string row, string reason) =>
        Assert.Equal(reason, Refusal(() => OkxVenue.ParseIndex(Envelope(row))));

    [Fact]
    public void Index_without_data_is_refused() =>
        Assert.Equal("okx index-tickers: no data", Refusal(() => OkxVenue.ParseIndex("""{"code":"0","data":[]}""")));
}
