using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// The reading every venue shares (<see cref="DerivativesVenue"/>): its requests, and the parts of one read — a blocked
/// or unreachable venue stops at once, other failures become notes, implausible values are left out with a note, and
/// when nothing usable came back the read fails with the first part's kind and every note.
/// </summary>
/// <remarks>The class is a venue itself so that it can use the venue's protected <c>Parts</c> and <c>Request</c>.</remarks>
public sealed class VenuePartsTests : DerivativesVenue
{
    private static readonly DateTimeOffset Now = new(2026, 1, 13, 21, 30, 0, TimeSpan.Zero);

    public override string Name => "probe";

    public override Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    private static VenueReading Reading(DateTimeOffset? at = null, decimal? funding = null, decimal? oi = null, decimal? basis = null) => new()
    {
        Venue = "probe",
        AsOfUtc = at ?? Now,
        FundingRate8h = funding,
        OpenInterestBtc = oi,
        Basis3mAnnualizedPct = basis,
    };

    private static Func<Task<string>> Failing(Exception ex) => () => Task.FromException<string>(ex);

    // ---- Request ----

    [Fact]
    public void A_request_is_named_for_the_venue_and_keeps_the_query_in_order()
    {
        var request = Request(new Uri("https://fapi.example.test"), "/fapi/v1/fundingRate", "BTCUSDT", ("symbol", "BTCUSDT"), ("limit", "10"));

        Assert.Equal("probe", request.Venue);
        Assert.Equal(new Uri("https://fapi.example.test"), request.BaseUrl);
        Assert.Equal("/fapi/v1/fundingRate", request.Path);
        Assert.Equal("BTCUSDT", request.Symbol);
        Assert.Equal([new("symbol", "BTCUSDT"), new KeyValuePair<string, string>("limit", "10")], request.Query);
    }

    [Fact]
    public void A_request_without_a_query_has_an_empty_one() =>
        Assert.Empty(Request(new Uri("https://example.test"), "/x", "BTC").Query);

    // ---- Notes and failures ----

    [Fact]
    public void New_parts_have_no_notes_and_have_not_failed()
    {
        var parts = new Parts("probe");

        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void A_note_is_kept_without_failing_the_read()
    {
        var parts = new Parts("probe");

        parts.Note("funding interval assumed 8 h");

        Assert.Equal(["funding interval assumed 8 h"], parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void A_rejected_value_is_noted_and_fails_the_read()
    {
        var parts = new Parts("probe");

        parts.Reject("funding in unknown units");

        Assert.Equal(["funding in unknown units"], parts.Notes);
        Assert.True(parts.Failed);
    }

    [Fact]
    public async Task A_part_that_answers_gives_its_value_and_no_note()
    {
        var parts = new Parts("probe");

        Assert.Equal("ok", await parts.TryAsync("tickers", () => Task.FromResult("ok")));
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Theory]
    [InlineData(VenueErrorKind.Blocked)]
    [InlineData(VenueErrorKind.Network)]
    public async Task A_blocked_or_unreachable_venue_stops_the_read_at_once(VenueErrorKind kind)
    {
        var parts = new Parts("probe");
        var refused = new VenueRequestException(kind, "HTTP 451");

        var thrown = await Assert.ThrowsAsync<VenueRequestException>(() => parts.TryAsync("tickers", Failing(refused)));

        Assert.Same(refused, thrown);
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Theory]
    [InlineData(VenueErrorKind.Http)]
    [InlineData(VenueErrorKind.Malformed)]
    [InlineData(VenueErrorKind.NotRecorded)]
    public async Task Another_request_failure_is_a_note_and_the_read_goes_on(VenueErrorKind kind)
    {
        var parts = new Parts("probe");
        var failure = new VenueRequestException(kind, "HTTP 500");

        Assert.Null(await parts.TryAsync("open-interest", Failing(failure)));

        Assert.Equal(["open-interest: HTTP 500"], parts.Notes);
        Assert.True(parts.Failed);
        var nothing = parts.Nothing();
        Assert.Equal(kind, nothing.Kind);
        Assert.Equal("open-interest: HTTP 500", nothing.Message);
        Assert.Same(failure, nothing.InnerException);
    }

    [Fact]
    public async Task A_malformed_answer_is_a_note_and_a_malformed_failure_naming_the_venue_and_part()
    {
        var parts = new Parts("probe");
        var format = new VenueFormatException("funding: not a number (\"x\")");

        Assert.Null(await parts.TryAsync("funding/history", Failing(format)));

        Assert.Equal(["funding/history: funding: not a number (\"x\")"], parts.Notes);
        Assert.True(parts.Failed);
        var nothing = parts.Nothing();
        Assert.Equal(VenueErrorKind.Malformed, nothing.Kind);
        Assert.Equal("funding/history: funding: not a number (\"x\")", nothing.Message);
        var first = Assert.IsType<VenueRequestException>(nothing.InnerException);
        Assert.Equal(VenueErrorKind.Malformed, first.Kind);
        Assert.Equal("probe funding/history: funding: not a number (\"x\")", first.Message);
        Assert.Same(format, first.InnerException);
    }

    [Fact]
    public async Task The_first_failure_gives_the_kind_and_every_failure_gives_a_note()
    {
        var parts = new Parts("probe");
        var http = new VenueRequestException(VenueErrorKind.Http, "HTTP 502");

        await parts.TryAsync("tickers", Failing(http));
        await parts.TryAsync("funding", Failing(new VenueFormatException("no rows")));
        await parts.TryAsync("index", Failing(new VenueRequestException(VenueErrorKind.NotRecorded, "no recording")));

        var nothing = parts.Nothing();
        Assert.Equal(VenueErrorKind.Http, nothing.Kind);
        Assert.Same(http, nothing.InnerException);
        Assert.Equal("tickers: HTTP 502; funding: no rows; index: no recording", nothing.Message);
    }

    [Fact]
    public async Task A_malformed_part_first_stays_the_first_failure()
    {
        var parts = new Parts("probe");

        await parts.TryAsync("funding", Failing(new VenueFormatException("no rows")));
        await parts.TryAsync("tickers", Failing(new VenueRequestException(VenueErrorKind.Http, "HTTP 502")));

        var nothing = parts.Nothing();
        Assert.Equal(VenueErrorKind.Malformed, nothing.Kind);
        Assert.Equal("probe funding: no rows", nothing.InnerException!.Message);
    }

    [Fact]
    public async Task An_unexpected_exception_is_not_swallowed()
    {
        var parts = new Parts("probe");

        await Assert.ThrowsAsync<InvalidOperationException>(() => parts.TryAsync("tickers", Failing(new InvalidOperationException("bug"))));

        Assert.Empty(parts.Notes);
    }

    [Fact]
    public void Nothing_without_any_note_says_the_venue_gave_no_usable_data()
    {
        var nothing = new Parts("probe").Nothing();

        Assert.Equal(VenueErrorKind.Malformed, nothing.Kind);
        Assert.Equal("probe: no usable data", nothing.Message);
        Assert.Null(nothing.InnerException);
    }

    [Fact]
    public void Nothing_after_notes_alone_is_malformed_with_the_notes()
    {
        var parts = new Parts("probe");
        parts.Note("no quarterlies");
        parts.Reject("funding: 7 is outside the plausible range; left out");

        var nothing = parts.Nothing();

        Assert.Equal(VenueErrorKind.Malformed, nothing.Kind);
        Assert.Equal("no quarterlies; funding: 7 is outside the plausible range; left out", nothing.Message);
        Assert.Null(nothing.InnerException);
    }

    // ---- Plausible values ----

    [Fact]
    public void A_plausible_value_passes_and_no_value_stays_none()
    {
        var parts = new Parts("probe");

        Assert.Equal(95_000m, parts.Plausible(95_000m, "index price", VenueBounds.IsPrice));
        Assert.Null(parts.Plausible(null, "index price", VenueBounds.IsPrice));
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void An_implausible_value_is_left_out_with_a_note_and_fails_the_read()
    {
        var parts = new Parts("probe");

        Assert.Null(parts.Plausible(0.5m, "index price", VenueBounds.IsPrice));

        Assert.Equal(["index price: 0.5 is outside the plausible range; left out"], parts.Notes);
        Assert.True(parts.Failed);
    }

    [Fact]
    public void Plausibility_is_the_given_test()
    {
        var parts = new Parts("probe");

        Assert.Equal(3m, parts.Plausible(3m, "x", v => v > 2m));
        Assert.Null(parts.Plausible(2m, "x", v => v > 2m));
        Assert.Equal(["x: 2 is outside the plausible range; left out"], parts.Notes);
    }

    [Fact]
    public void Open_interest_history_without_points_is_empty()
    {
        var parts = new Parts("probe");

        Assert.Empty(parts.Plausible(null, "open interest history"));
        Assert.Empty(parts.Plausible([], "open interest history"));
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void Plausible_open_interest_history_is_kept_whole_without_a_note()
    {
        var parts = new Parts("probe");
        var points = new[] { new OpenInterestPoint(Now.AddHours(-1), 0m), new OpenInterestPoint(Now, 21_000_000m) };

        Assert.Equal(points, parts.Plausible(points, "open interest history"));
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void Implausible_history_points_are_dropped_in_order_with_one_note_counting_them()
    {
        var parts = new Parts("probe");
        var points = new[]
        {
            new OpenInterestPoint(Now.AddHours(-3), 100m),
            new OpenInterestPoint(Now.AddHours(-2), -1m),
            new OpenInterestPoint(Now.AddHours(-1), 200m),
            new OpenInterestPoint(Now, 21_000_001m),
        };

        var kept = parts.Plausible(points, "open interest history");

        Assert.Equal([points[0], points[2]], kept);
        Assert.Equal(["open interest history: 2 point(s) outside the plausible open interest left out"], parts.Notes);
        Assert.True(parts.Failed);
    }

    // ---- Funding as an 8-hour rate ----

    [Fact]
    public void No_funding_is_no_rate_and_no_note()
    {
        var parts = new Parts("probe");

        Assert.Null(parts.Funding8h(null, 0.005m));
        Assert.Empty(parts.Notes);
    }

    [Theory]
    [InlineData("0.0001", 8, "0.0001")]
    [InlineData("0.0005", 1, "0.004")]
    [InlineData("0.000625", 1, "0.005")]  // exactly at the limit
    [InlineData("-0.000625", 1, "-0.005")]
    [InlineData("0.0002", 4, "0.0004")]
    public void Funding_within_the_limit_is_the_8_hour_rate(string rate, int hours, string expected)
    {
        var parts = new Parts("probe");
        var funding = new FundingObservation(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(hours), Now, "settled");

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parts.Funding8h(funding, 0.005m));
        Assert.Empty(parts.Notes);
        Assert.False(parts.Failed);
    }

    [Fact]
    public void A_rate_beyond_any_market_per_its_own_period_is_left_out_before_it_is_scaled()
    {
        var parts = new Parts("probe");

        Assert.Null(parts.Funding8h(new FundingObservation(2m, TimeSpan.FromHours(8), Now, "settled"), 0.005m));

        Assert.Equal(["funding: 2 is outside the plausible range; left out"], parts.Notes);
        Assert.True(parts.Failed);
    }

    [Theory]
    [InlineData("0.001", "funding per 8 h (beyond ±0.005): 0.008 is outside the plausible range; left out")]
    [InlineData("-0.001", "funding per 8 h (beyond ±0.005): -0.008 is outside the plausible range; left out")]
    public void An_8_hour_rate_beyond_the_limit_is_left_out_with_the_limit_in_the_note(string hourlyRate, string note)
    {
        var parts = new Parts("probe");
        var hourly = decimal.Parse(hourlyRate, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Null(parts.Funding8h(new FundingObservation(hourly, TimeSpan.FromHours(1), Now, "settled"), 0.005m));

        Assert.Equal([note], parts.Notes);
        Assert.True(parts.Failed);
    }

    [Theory]
    [InlineData("0.0001", 8, "0.0001")]
    [InlineData("0.0001", 1, "0.0008")]
    [InlineData("0.0001", 4, "0.0002")]
    [InlineData("-0.0003", 24, "-0.0001")]
    public void A_settled_rate_per_its_interval_is_scaled_to_8_hours(string rate, int hours, string expected) =>
        Assert.Equal(
            decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Per8h(new FundingObservation(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(hours), Now, "settled")));

    // ---- Basis ----

    [Fact]
    public void A_plausible_basis_passes_unchanged_and_no_basis_stays_none()
    {
        var parts = new Parts("probe");
        var basis = new BasisResult(-999m, 90m, "BTCUSD_260327");

        Assert.Same(basis, parts.Plausible(basis));
        Assert.Null(parts.Plausible((BasisResult?)null));
        Assert.Empty(parts.Notes);
    }

    [Fact]
    public void A_basis_beyond_1000_percent_is_left_out_with_a_note()
    {
        var parts = new Parts("probe");

        Assert.Null(parts.Plausible(new BasisResult(1_500m, 90m, "BTCUSD_260327")));

        Assert.Equal(["basis: 1500 is outside the plausible range; left out"], parts.Notes);
        Assert.True(parts.Failed);
    }

    // ---- EnsureAny / EnsureTime ----

    [Theory]
    [InlineData(0.0001, null, null)]
    [InlineData(null, 55_000.0, null)]
    [InlineData(null, null, 8.5)]
    public void A_reading_with_any_of_funding_open_interest_or_basis_is_usable(double? funding, double? oi, double? basis)
    {
        var parts = new Parts("probe");

        var ex = Record.Exception(() => parts.EnsureAny(Reading(funding: (decimal?)funding, oi: (decimal?)oi, basis: (decimal?)basis)));

        Assert.Null(ex);
    }

    [Fact]
    public async Task A_reading_with_none_of_them_fails_with_the_first_failure_and_every_note()
    {
        var parts = new Parts("probe");
        await parts.TryAsync("tickers", Failing(new VenueRequestException(VenueErrorKind.Http, "HTTP 503")));
        parts.Note("no quarterlies");

        var ex = Assert.Throws<VenueRequestException>(() => parts.EnsureAny(Reading()));

        Assert.Equal(VenueErrorKind.Http, ex.Kind);
        Assert.Equal("tickers: HTTP 503; no quarterlies", ex.Message);
    }

    [Fact]
    public void A_reading_with_none_of_them_and_no_note_has_no_usable_data()
    {
        var ex = Assert.Throws<VenueRequestException>(() => new Parts("probe").EnsureAny(Reading()));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal("probe: no usable data", ex.Message);
    }

    [Fact]
    public void A_reading_of_an_implausible_time_fails_even_with_values()
    {
        var ex = Assert.Throws<VenueRequestException>(() => new Parts("probe").EnsureAny(Reading(at: new DateTimeOffset(2008, 12, 31, 0, 0, 0, TimeSpan.Zero), funding: 0.0001m, oi: 1m, basis: 5m)));

        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
        Assert.Equal("probe: data time 2008-12-31T00:00:00.0000000+00:00 is not plausible", ex.Message);
    }

    [Fact]
    public void Times_from_bitcoin_s_first_block_until_2200_are_plausible()
    {
        var parts = new Parts("kraken");

        Assert.Null(Record.Exception(() => parts.EnsureTime(new DateTimeOffset(2009, 1, 3, 0, 0, 0, TimeSpan.Zero))));
        Assert.Null(Record.Exception(() => parts.EnsureTime(Now)));
        var ex = Assert.Throws<VenueRequestException>(() => parts.EnsureTime(new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("kraken: data time 2200-01-01T00:00:00.0000000+00:00 is not plausible", ex.Message);
        Assert.Equal(VenueErrorKind.Malformed, ex.Kind);
    }
}
