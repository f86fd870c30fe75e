using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Bybit v5 linear BTCUSDT: the three requests, the retCode envelope, funding history and hourly open interest (newest
/// first in the answer, read by time), the ticker, and how the reading is assembled from whichever parts came back.
/// </summary>
public sealed class BybitVenueTests
{
    private const string FundingPath = "/v5/market/funding/history";
    private const string OpenInterestPath = "/v5/market/open-interest";
    private const string TickerPath = "/v5/market/tickers";
    private const string BasisNote = "basis: not read from Bybit (funding and open interest only)";

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [FundingPath] = """{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","fundingRate":"0.00003","fundingRateTimestamp":"1768320000000"},{"symbol":"BTCUSDT","fundingRate":"-0.0000221","fundingRateTimestamp":"1768291200000"},{"symbol":"BTCUSDT","fundingRate":"0.00002","fundingRateTimestamp":"1768262400000"}]},"time":1768339800020}""",
        [OpenInterestPath] = """{"retCode":0,"retMsg":"OK","result":{"list":[{"openInterest":"55000.00000000","timestamp":"1768338000000"},{"openInterest":"54800.00000000","timestamp":"1768334400000"}]},"time":1768339800025}""",
        [TickerPath] = """{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","indexPrice":"95000.00","markPrice":"95019.00"}]},"time":1768339800030}""",
    };

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static Task<VenueReading> Read(params (string Path, string? Body)[] changes) =>
        new BybitVenue().ReadAsync(ScriptedVenueDocuments.With(Answers, changes), new DerivativesOptions(), CancellationToken.None);

    private static string Refusal(Action parse) => Assert.Throws<VenueFormatException>(parse).Message;

    [Fact]
    public async Task The_three_requests_name_their_paths_and_parameters()
    {
        var documents = ScriptedVenueDocuments.With(Answers);
        var options = new DerivativesOptions();
        options.Bybit.BaseUrl = new Uri("https://bybit.example");

        await new BybitVenue().ReadAsync(documents, options, CancellationToken.None);

        Assert.Equal(
            [
                "bybit BTCUSDT https://bybit.example/v5/market/funding/history?category=linear&symbol=BTCUSDT&limit=12",
                "bybit BTCUSDT https://bybit.example/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=1h&limit=200",
                "bybit BTCUSDT https://bybit.example/v5/market/tickers?category=linear&symbol=BTCUSDT",
            ],
            documents.Requests.Select(ScriptedVenueDocuments.Describe));
    }

    [Fact]
    public async Task A_full_read_gives_settled_funding_the_latest_hour_of_open_interest_at_the_mark_and_the_index()
    {
        var r = await Read();

        Assert.Equal("bybit", r.Venue);
        Assert.Equal(Ms(1768338000000), r.AsOfUtc);      // the latest open-interest hour
        Assert.Equal(0.00003m, r.FundingRate8h);
        Assert.Equal(Ms(1768320000000), r.FundingTimeUtc);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(55_000m, r.OpenInterestBtc);
        Assert.Equal(5_226_045_000m, r.OpenInterestUsd); // 55,000 × mark 95,019
        Assert.Equal(95_000m, r.IndexPriceUsd);
        Assert.Null(r.Basis3mAnnualizedPct);
        Assert.Equal([new OpenInterestPoint(Ms(1768334400000), 54_800m), new OpenInterestPoint(Ms(1768338000000), 55_000m)], r.OpenInterestHistory);
        Assert.False(r.Partial);
        Assert.Equal([BasisNote], r.Notes);
    }

    [Fact]
    public async Task Without_a_mark_the_open_interest_is_valued_at_the_index()
    {
        var r = await Read((TickerPath, """{"retCode":0,"result":{"list":[{"indexPrice":"95000"}]},"time":1768339800030}"""));

        Assert.Equal(5_225_000_000m, r.OpenInterestUsd);
    }

    [Fact]
    public async Task Without_the_ticker_there_is_no_usd_value_and_no_index()
    {
        var r = await Read((TickerPath, null));

        Assert.Equal(55_000m, r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Null(r.IndexPriceUsd);
        Assert.True(r.Partial);
        Assert.Equal(["tickers: HTTP 404", BasisNote], r.Notes);
    }

    [Fact]
    public async Task Without_open_interest_the_reading_is_dated_by_the_ticker()
    {
        var r = await Read((OpenInterestPath, null));

        Assert.Equal(Ms(1768339800030), r.AsOfUtc);
        Assert.Null(r.OpenInterestBtc);
        Assert.Null(r.OpenInterestUsd);
        Assert.Empty(r.OpenInterestHistory);
        Assert.Equal(["open-interest: HTTP 404", BasisNote], r.Notes);
    }

    [Fact]
    public async Task With_only_funding_the_reading_is_dated_by_the_settlement()
    {
        var r = await Read((OpenInterestPath, null), (TickerPath, null));

        Assert.Equal(Ms(1768320000000), r.AsOfUtc);
        Assert.Equal(0.00003m, r.FundingRate8h);
    }

    [Fact]
    public async Task When_every_part_fails_the_read_fails_with_each_part_named()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((FundingPath, null), (OpenInterestPath, null), (TickerPath, null)));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("funding/history: HTTP 404; open-interest: HTTP 404; tickers: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task Implausible_prices_and_open_interest_points_are_left_out_with_their_names()
    {
        var r = await Read(
            (TickerPath, """{"retCode":0,"result":{"list":[{"indexPrice":"0","markPrice":"100000001"}]},"time":1768339800030}"""),
            (OpenInterestPath, """{"retCode":0,"result":{"list":[{"openInterest":"-5","timestamp":"1768338000000"},{"openInterest":"54800","timestamp":"1768334400000"}]}}"""));

        Assert.Null(r.IndexPriceUsd);
        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(54_800m, r.OpenInterestBtc); // the latest plausible hour
        Assert.Equal(Ms(1768334400000), r.AsOfUtc);
        Assert.True(r.Partial);
        Assert.Equal(
            [
                "open-interest: 1 point(s) outside the plausible open interest left out",
                "index price: 0 is outside the plausible range; left out",
                "mark price: 100000001 is outside the plausible range; left out",
                BasisNote,
            ],
            r.Notes);
    }

    [Fact]
    public async Task Funding_beyond_the_limit_is_left_out_with_its_time_and_interval()
    {
        var r = await Read((FundingPath, """{"retCode":0,"result":{"list":[{"fundingRate":"-0.0051","fundingRateTimestamp":"1768320000000"}]}}"""));

        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
        Assert.Equal(55_000m, r.OpenInterestBtc);
    }

    // ---- envelope ----

    [Theory]
    [InlineData("[]", "bybit funding/history: expected an object")]
    [InlineData("""{"retMsg":"OK","result":{"list":[]}}""", "bybit funding/history: 'retCode' is missing")]
    [InlineData("""{"retCode":10001,"retMsg":"params error: symbol invalid","result":{}}""", "bybit funding/history: error 10001 params error: symbol invalid")]
    [InlineData("""{"retCode":"10006","retMsg":"Too many visits!"}""", "bybit funding/history: error 10006 Too many visits!")]
    [InlineData("""{"retCode":0,"retMsg":"OK"}""", "bybit funding/history: field 'result' is missing")]
    [InlineData("""{"retCode":0,"result":{}}""", "bybit funding/history: field 'list' is missing")]
    [InlineData("""{"retCode":0,"result":{"list":{}}}""", "bybit funding/history: expected a list, got Object")]
    [InlineData("""{"retCode":0,"result":{"list":[]}}""", "bybit funding/history: empty list")]
    [InlineData("""{"retCode":0,"result":{"list":[{"fundingRateTimestamp":"1768320000000"}]}}""", "bybit funding/history: field 'fundingRate' is missing or empty")]
    [InlineData("""{"retCode":0,"result":{"list":[{"fundingRate":"0.0001"}]}}""", "bybit funding/history: 'fundingRateTimestamp' is missing")]
    public void Funding_history_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BybitVenue.ParseFundingHistory(json)));

    [Theory]
    [InlineData("\"x\"", "bybit open-interest: expected an object")]
    [InlineData("""{"result":{"list":[]}}""", "bybit open-interest: 'retCode' is missing")]
    [InlineData("""{"retCode":-1,"retMsg":"bad"}""", "bybit open-interest: error -1 bad")]
    [InlineData("""{"retCode":0}""", "bybit open-interest: field 'result' is missing")]
    [InlineData("""{"retCode":0,"result":{"rows":[]}}""", "bybit open-interest: field 'list' is missing")]
    [InlineData("""{"retCode":0,"result":{"list":"x"}}""", "bybit open-interest: expected a list, got String")]
    [InlineData("""{"retCode":0,"result":{"list":[]}}""", "bybit open-interest: empty list")]
    [InlineData("""{"retCode":0,"result":{"list":[{"timestamp":"1768338000000"}]}}""", "bybit open-interest: field 'openInterest' is missing or empty")]
    [InlineData("""{"retCode":0,"result":{"list":[{"openInterest":"1"}]}}""", "bybit open-interest: 'timestamp' is missing")]
    public void Open_interest_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BybitVenue.ParseOpenInterest(json)));

    [Theory]
    [InlineData("1", "bybit tickers: expected an object")]
    [InlineData("{}", "bybit tickers: 'retCode' is missing")]
    [InlineData("""{"retCode":10001,"retMsg":"Illegal category"}""", "bybit tickers: error 10001 Illegal category")]
    [InlineData("""{"retCode":0}""", "bybit tickers: field 'result' is missing")]
    [InlineData("""{"retCode":0,"result":{}}""", "bybit tickers: field 'list' is missing")]
    [InlineData("""{"retCode":0,"result":{"list":null}}""", "bybit tickers: expected a list, got Null")]
    [InlineData("""{"retCode":0,"result":{"list":[]}}""", "bybit tickers: empty list")]
    [InlineData("""{"retCode":0,"result":{"list":[7]}}""", "bybit tickers: empty list")]
    public void Ticker_refusals_name_the_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => BybitVenue.ParseTicker(json)));

    [Fact]
    public void An_error_without_a_message_names_the_code_only() =>
        Assert.Equal("bybit tickers: error 10002 ", Refusal(() => BybitVenue.ParseTicker("""{"retCode":10002}""")));

    // ---- parsed values ----

    [Fact]
    public void Funding_history_takes_the_latest_settlement_by_time_and_the_interval_from_the_spacing()
    {
        var f = BybitVenue.ParseFundingHistory("""{"retCode":0,"result":{"list":[{"fundingRate":"0.00001","fundingRateTimestamp":"1768334400000"},{"fundingRate":"0.00002","fundingRateTimestamp":"1768338000000"},{"fundingRate":"0.00003","fundingRateTimestamp":"1768330800000"}]}}""");

        Assert.Equal(new FundingObservation(0.00002m, TimeSpan.FromHours(1), Ms(1768338000000), "settled"), f);
    }

    [Fact]
    public void A_single_settlement_is_taken_as_8_hourly() =>
        Assert.Equal(TimeSpan.FromHours(8), BybitVenue.ParseFundingHistory("""{"retCode":0,"result":{"list":[{"fundingRate":"0.00001","fundingRateTimestamp":"1768334400000"}]}}""").Interval);

    [Fact]
    public void Open_interest_is_returned_oldest_first()
    {
        var oi = BybitVenue.ParseOpenInterest(Answers[OpenInterestPath]);

        Assert.Equal([new OpenInterestPoint(Ms(1768334400000), 54_800m), new OpenInterestPoint(Ms(1768338000000), 55_000m)], oi);
    }

    [Fact]
    public void Ticker_reads_the_first_row_and_the_answer_time()
    {
        var t = BybitVenue.ParseTicker("""{"retCode":0,"result":{"list":[{"symbol":"BTCUSDT","indexPrice":"95000.00","markPrice":"95019.00"},{"symbol":"BTCUSDT","indexPrice":"1","markPrice":"2"}]},"time":1768339800030}""");

        Assert.Equal(new BybitVenue.Ticker(95_019m, 95_000m, Ms(1768339800030)), t);
    }

    [Fact]
    public void A_ticker_without_time_or_prices_has_none()
    {
        var t = BybitVenue.ParseTicker("""{"retCode":0,"result":{"list":[{"symbol":"BTCUSDT"}]}}""");

        Assert.Equal(new BybitVenue.Ticker(null, null, default), t);
    }
}
