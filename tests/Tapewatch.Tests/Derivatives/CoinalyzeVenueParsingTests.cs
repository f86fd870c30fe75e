using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Coinalyze over inline answers: the two requests (configured symbols joined, USD conversion), the answer parser's
/// refusals, the funding arithmetic (percent per interval → fraction per 8 h, weighted by USD open interest) and its
/// rejection reasons, and how the reading is assembled when a part is missing or rejected.
/// </summary>
public sealed class CoinalyzeVenueParsingTests
{
    private const string OpenInterestPath = "/open-interest";
    private const string FundingPath = "/funding-rate";
    private const string A = "BTCUSDT_PERP.A";
    private const string B = "BTCUSD_PERP.6";
    private const string Aggregate = "aggregate of BTCUSDT_PERP.A, BTCUSD_PERP.6: reported alongside, not in the offshore open interest or funding composite (it aggregates venues already counted)";
    private const long T = 1768339800000;

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(T);

    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        [OpenInterestPath] = """[{"symbol":"BTCUSDT_PERP.A","value":3000000000.4,"update":1768339800000},{"symbol":"btcusd_perp.6","value":"1000000000.4","update":1768339795000},{"symbol":"ETHUSDT_PERP.A","value":5,"update":1768339900000}]""",
        [FundingPath] = """[{"symbol":"BTCUSDT_PERP.A","value":0.01,"update":1768339802000},{"symbol":"BTCUSD_PERP.6","value":"0.03","update":1768339799000},{"symbol":"ETHUSDT_PERP.A","value":0.5,"update":1768339999000}]""",
    };

    private static DerivativesOptions Options(decimal intervalHours = 8m)
    {
        var options = new DerivativesOptions();
        options.Coinalyze.Symbols = "BTCUSDT_PERP.A, BTCUSD_PERP.6";
        options.Coinalyze.FundingIntervalHours = intervalHours;
        return options;
    }

    private static Task<VenueReading> Read(params (string Path, string? Body)[] changes) => Read(Options(), changes);

    private static Task<VenueReading> Read(DerivativesOptions options, params (string Path, string? Body)[] changes) =>
        new CoinalyzeVenue().ReadAsync(ScriptedVenueDocuments.With(Answers, changes), options, CancellationToken.None);

    private static CoinalyzeVenue.Row Row(string symbol, decimal value, int secondsAfter = 0) => new(symbol, value, Now.AddSeconds(secondsAfter));

    [Fact]
    public async Task The_two_requests_carry_the_configured_symbols_joined_and_ask_for_usd()
    {
        var documents = ScriptedVenueDocuments.With(Answers);

        await new CoinalyzeVenue().ReadAsync(documents, Options(), CancellationToken.None);

        Assert.Equal(
            [
                "coinalyze BTC https://api.coinalyze.net/v1/open-interest?symbols=BTCUSDT_PERP.A%2CBTCUSD_PERP.6&convert_to_usd=true",
                "coinalyze BTC https://api.coinalyze.net/v1/funding-rate?symbols=BTCUSDT_PERP.A%2CBTCUSD_PERP.6",
            ],
            documents.Requests.Select(ScriptedVenueDocuments.Describe));
    }

    [Fact]
    public async Task A_full_read_sums_the_configured_open_interest_and_weights_funding_by_it()
    {
        var r = await Read();

        Assert.Equal("coinalyze", r.Venue);
        Assert.Equal(4_000_000_001m, r.OpenInterestUsd);      // 3,000,000,000.4 + 1,000,000,000.4 rounded; the ETH row is not configured
        Assert.Null(r.OpenInterestBtc);
        Assert.Equal(0.00015m, r.FundingRate8h);              // (0.01 × 3 + 0.03 × 1) / 4 = 0.015 % per 8 h
        Assert.Equal(Now.AddSeconds(2), r.FundingTimeUtc);    // the latest configured funding update
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(Now.AddSeconds(2), r.AsOfUtc);           // the latest of every update used
        Assert.True(r.ReportedAlongside);
        Assert.False(r.Partial);
        Assert.Equal([Aggregate], r.Notes);
    }

    [Fact]
    public async Task An_hourly_interval_is_scaled_to_8_hours_and_reported()
    {
        var r = await Read(Options(intervalHours: 4m), (FundingPath, """[{"symbol":"BTCUSDT_PERP.A","value":0.01,"update":1768339800000},{"symbol":"BTCUSD_PERP.6","value":0.01,"update":1768339800000}]"""));

        Assert.Equal(0.0002m, r.FundingRate8h);
        Assert.Equal(4m, r.FundingIntervalHours);
    }

    [Fact]
    public async Task Without_open_interest_funding_is_a_simple_mean_with_a_note()
    {
        var r = await Read((OpenInterestPath, null));

        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(0.0002m, r.FundingRate8h); // (0.01 + 0.03) / 2 %
        Assert.True(r.Partial);
        Assert.Equal(["open-interest: HTTP 404", "funding: simple mean (open interest missing for a symbol)", Aggregate], r.Notes);
    }

    [Fact]
    public async Task A_simple_mean_is_a_note_and_not_a_partial_reading()
    {
        var r = await Read((OpenInterestPath, """[{"symbol":"BTCUSDT_PERP.A","value":3000000000,"update":1768339800000}]"""));

        Assert.Equal(3_000_000_000m, r.OpenInterestUsd);
        Assert.Equal(0.0002m, r.FundingRate8h); // BTCUSD_PERP.6 has no open interest: (0.01 + 0.03) / 2 %
        Assert.False(r.Partial);
        Assert.Equal(["funding: simple mean (open interest missing for a symbol)", Aggregate], r.Notes);
    }

    [Fact]
    public async Task Open_interest_of_none_of_the_configured_symbols_is_rejected()
    {
        var r = await Read((OpenInterestPath, """[{"symbol":"ETHUSDT_PERP.A","value":5,"update":1768339900000}]"""));

        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(0.0002m, r.FundingRate8h);
        Assert.True(r.Partial);
        Assert.Equal(["open-interest: none of the configured symbols in the answer", "funding: simple mean (open interest missing for a symbol)", Aggregate], r.Notes);
    }

    [Fact]
    public async Task Without_funding_the_reading_has_open_interest_only()
    {
        var r = await Read((FundingPath, null));

        Assert.Equal(4_000_000_001m, r.OpenInterestUsd);
        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingTimeUtc);
        Assert.Null(r.FundingIntervalHours);
        Assert.Equal(Now, r.AsOfUtc);
        Assert.Equal(["funding-rate: HTTP 404", Aggregate], r.Notes);
    }

    [Fact]
    public async Task Funding_of_none_of_the_configured_symbols_is_rejected_with_the_reason()
    {
        var r = await Read((FundingPath, """[{"symbol":"ETHUSDT_PERP.A","value":0.01,"update":1768339800000}]"""));

        Assert.Null(r.FundingRate8h);
        Assert.True(r.Partial);
        Assert.Equal(["funding rejected: none of the configured symbols in the answer", Aggregate], r.Notes);
    }

    [Fact]
    public async Task Funding_without_an_interval_is_rejected_with_the_reason()
    {
        var r = await Read(Options(intervalHours: 0m));

        Assert.Null(r.FundingRate8h);
        Assert.Null(r.FundingIntervalHours);
        Assert.Equal(4_000_000_001m, r.OpenInterestUsd);
        Assert.Equal(["funding rejected: no funding interval configured", Aggregate], r.Notes);
    }

    [Fact]
    public async Task An_implausible_open_interest_row_is_left_out_of_the_sum_and_the_weights()
    {
        var r = await Read((OpenInterestPath, """[{"symbol":"BTCUSDT_PERP.A","value":3000000000,"update":1768339800000},{"symbol":"BTCUSD_PERP.6","value":-1,"update":1768339800000}]"""));

        Assert.Equal(3_000_000_000m, r.OpenInterestUsd);
        Assert.Equal(0.0002m, r.FundingRate8h); // a simple mean: one symbol has no open interest
        Assert.Equal(
            ["open-interest BTCUSD_PERP.6: -1 is outside the plausible range; left out", "funding: simple mean (open interest missing for a symbol)", Aggregate],
            r.Notes);
    }

    [Fact]
    public async Task A_total_beyond_all_bitcoin_at_the_highest_price_is_left_out()
    {
        var r = await Read((OpenInterestPath, """[{"symbol":"BTCUSDT_PERP.A","value":2000000000000000,"update":1768339800000},{"symbol":"BTCUSD_PERP.6","value":2000000000000000,"update":1768339800000}]"""));

        Assert.Null(r.OpenInterestUsd);
        Assert.Equal(0.0002m, r.FundingRate8h); // equal weights
        Assert.Equal(["open-interest total: 4000000000000000 is outside the plausible range; left out", Aggregate], r.Notes);
    }

    [Fact]
    public async Task A_funding_row_beyond_100_percent_is_left_out_with_its_symbol()
    {
        var r = await Read((FundingPath, """[{"symbol":"BTCUSDT_PERP.A","value":0.01,"update":1768339800000},{"symbol":"BTCUSD_PERP.6","value":101,"update":1768339800000}]"""));

        Assert.Equal(0.0001m, r.FundingRate8h);
        Assert.True(r.Partial);
        Assert.Equal(["funding-rate BTCUSD_PERP.6: 101 is outside the plausible range; left out", Aggregate], r.Notes);
    }

    [Fact]
    public async Task When_both_parts_fail_the_read_fails_with_both_named()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((OpenInterestPath, null), (FundingPath, null)));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("open-interest: HTTP 404; funding-rate: HTTP 404", ex.Message);
    }

    [Fact]
    public async Task When_funding_is_rejected_and_there_is_no_open_interest_the_read_fails_with_the_reason()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((OpenInterestPath, null), (FundingPath, """[{"symbol":"BTCUSDT_PERP.A","value":1,"update":1768339800000}]""")));

        Assert.Equal("open-interest: HTTP 404; funding rejected: 1 % per 8h is 0.01 per 8h, beyond the plausible ±0.005", ex.Message);
    }

    [Fact]
    public async Task A_reading_dated_centuries_ahead_is_malformed()
    {
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => Read((FundingPath, null), (OpenInterestPath, """[{"symbol":"BTCUSDT_PERP.A","value":1,"update":10000000000000}]""")));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal("coinalyze: data time 2286-11-20T17:46:40.0000000+00:00 is not plausible", ex.Message);
    }

    // ---- Parse ----

    [Theory]
    [InlineData("[]", "coinalyze open-interest: empty list")]
    [InlineData("""{"message":"Invalid API key"}""", "coinalyze open-interest: error Invalid API key")]
    [InlineData("""{"message":""}""", "coinalyze open-interest: expected a list, got Object")]
    [InlineData("""{"data":[]}""", "coinalyze open-interest: expected a list, got Object")]
    [InlineData("""[{"value":1,"update":1768339800000}]""", "coinalyze open-interest: 'symbol' is missing")]
    [InlineData("""[{"symbol":"X","update":1768339800000}]""", "coinalyze open-interest: field 'value' is missing or empty")]
    [InlineData("""[{"symbol":"X","value":""}]""", "coinalyze open-interest: field 'value' is missing or empty")]
    [InlineData("""[{"symbol":"X","value":1}]""", "coinalyze open-interest: 'update' is missing")]
    public void Refusals_name_the_answer_and_the_reason(string json, string reason) =>
        Assert.Equal(reason, Assert.Throws<VenueFormatException>(() => CoinalyzeVenue.Parse(json, "open-interest")).Message);

    [Fact]
    public void An_error_message_of_120_characters_is_shown_whole()
    {
        var message = new string('m', 120);

        Assert.Equal($"coinalyze funding-rate: error {message}", Assert.Throws<VenueFormatException>(() => CoinalyzeVenue.Parse($$"""{"message":"{{message}}"}""", "funding-rate")).Message);
    }

    [Fact]
    public void A_longer_error_message_is_cut_at_120_characters()
    {
        var message = new string('m', 120) + "xyz";

        Assert.Equal($"coinalyze funding-rate: error {new string('m', 120)}…", Assert.Throws<VenueFormatException>(() => CoinalyzeVenue.Parse($$"""{"message":"{{message}}"}""", "funding-rate")).Message);
    }

    [Fact]
    public void Rows_keep_their_order_symbol_value_and_update()
    {
        var rows = CoinalyzeVenue.Parse(Answers[FundingPath], "funding-rate");

        Assert.Equal([Row(A, 0.01m, 2), Row(B, 0.03m, -1), Row("ETHUSDT_PERP.A", 0.5m, 199)], rows);
    }

    // ---- Funding ----

    [Fact]
    public void No_funding_answer_is_no_rate_and_no_reason()
    {
        var (rate, at, note) = CoinalyzeVenue.Funding(null, [], [A], 8m, 0.005m);

        Assert.Null(rate);
        Assert.Null(at);
        Assert.Null(note);
    }

    [Fact]
    public void Funding_of_other_symbols_only_is_rejected() =>
        AssertRejected(CoinalyzeVenue.Funding([Row("X", 0.01m)], [], [A], 8m, 0.005m), null, "funding rejected: none of the configured symbols in the answer");

    [Theory]
    [InlineData(0)]
    [InlineData(-8)]
    public void Funding_without_a_positive_interval_is_rejected(int hours) =>
        AssertRejected(CoinalyzeVenue.Funding([Row(A, 0.01m)], [], [A], hours, 0.005m), null, "funding rejected: no funding interval configured");

    [Fact]
    public void Funding_is_weighted_by_the_first_open_interest_of_each_symbol_matched_without_case()
    {
        var (rate, at, note) = CoinalyzeVenue.Funding(
            [Row(A, 0.01m, 5), Row(B, 0.03m, 1), Row("ETH", 0.9m, 60)],
            [Row(A.ToLowerInvariant(), 3m), Row(B, 1m), Row(A, 1000m)],
            [A, B],
            8m,
            0.005m);

        Assert.Equal(0.00015m, rate); // (0.01 × 3 + 0.03 × 1) / 4 %
        Assert.Equal(Now.AddSeconds(5), at);
        Assert.Null(note);
    }

    [Fact]
    public void A_zero_open_interest_for_a_symbol_makes_it_a_simple_mean()
    {
        var (rate, _, note) = CoinalyzeVenue.Funding([Row(A, 0.01m), Row(B, 0.03m)], [Row(A, 3m), Row(B, 0m)], [A, B], 8m, 0.005m);

        Assert.Equal(0.0002m, rate);
        Assert.Equal("funding: simple mean (open interest missing for a symbol)", note);
    }

    [Fact]
    public void The_rate_is_rounded_to_ten_places() =>
        Assert.Equal(0.0001666667m, CoinalyzeVenue.Funding([Row(A, 0.01m), Row(B, 0.02m), Row("C", 0.02m)], [], [A, B, "C"], 8m, 0.005m).Rate8h);

    [Fact]
    public void A_rate_exactly_at_the_limit_is_kept() =>
        Assert.Equal(0.005m, CoinalyzeVenue.Funding([Row(A, 0.5m)], [], [A], 8m, 0.005m).Rate8h);

    [Theory]
    [InlineData("0.5000001", "8", "funding rejected: 0.5 % per 8h is 0.005 per 8h, beyond the plausible ±0.005")]
    [InlineData("-1", "8", "funding rejected: -1 % per 8h is -0.01 per 8h, beyond the plausible ±0.005")]
    [InlineData("0.1", "1", "funding rejected: 0.1 % per 1h is 0.008 per 8h, beyond the plausible ±0.005")]
    [InlineData("0.3", "1.5", "funding rejected: 0.3 % per 1.5h is 0.016 per 8h, beyond the plausible ±0.005")]
    public void A_rate_beyond_the_limit_is_rejected_with_the_arithmetic(string percent, string hours, string reason)
    {
        var (rate, at, note) = CoinalyzeVenue.Funding([Row(A, Dec(percent), 3)], [], [A], Dec(hours), 0.005m);

        Assert.Null(rate);
        Assert.Equal(Now.AddSeconds(3), at);
        Assert.Equal(reason, note);
    }

    [Fact]
    public void Rates_beyond_decimal_arithmetic_are_rejected_as_out_of_range() =>
        AssertRejected(CoinalyzeVenue.Funding([Row(A, decimal.MaxValue)], [Row(A, 2m)], [A], 8m, 0.005m), Now, "funding rejected: the rates or open interest are out of range");

    private static void AssertRejected((decimal? Rate8h, DateTimeOffset? At, string? Note) result, DateTimeOffset? at, string reason)
    {
        Assert.Null(result.Rate8h);
        Assert.Equal(at, result.At);
        Assert.Equal(reason, result.Note);
    }

    // ---- SkipReason ----

    [Fact]
    public void Skip_reasons_are_stated_in_full()
    {
        var options = new DerivativesOptions();
        Assert.Equal("coinalyze: skipped: no API key configured (Tapewatch:Derivatives:Coinalyze:ApiKey); optional, not a failure", CoinalyzeVenue.SkipReason(options));
        options.Coinalyze.ApiKey = "k";
        Assert.Null(CoinalyzeVenue.SkipReason(options));
        options.Coinalyze.Enabled = false;
        Assert.Equal("coinalyze: skipped: disabled (Tapewatch:Derivatives:Coinalyze:Enabled=false)", CoinalyzeVenue.SkipReason(options));
    }

    private static decimal Dec(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
