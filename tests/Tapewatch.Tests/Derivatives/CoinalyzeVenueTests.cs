using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Coinalyze over our own fixtures (coinalyze_open-interest_BTC.json, coinalyze_funding-rate_BTC.json, as of
/// 2026-01-13 21:30Z): six BTC perpetuals summing to 19,760,000,000.4 USD of open interest (an ETH row is ignored),
/// funding in percent per 8 h weighted by that open interest.
/// </summary>
public sealed class CoinalyzeVenueTests
{
    private const string Key = "cz-secret-7f3a9c1e-do-not-log";
    private static readonly DateTimeOffset Now = new(2026, 1, 13, 21, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Fixtures_give_summed_usd_open_interest_and_oi_weighted_funding_per_8h()
    {
        var r = await new CoinalyzeVenue().ReadAsync(new RecordedVenueDocuments(Fixtures.Directory), new DerivativesOptions(), CancellationToken.None);
        Assert.Equal(19_760_000_000m, r.OpenInterestUsd);
        Assert.Null(r.OpenInterestBtc); // no price of its own
        // (0.005×9690 + 0.01×950 + 0.01×5700 + 0.01×380 + 0.006×2850 + 0.01×190) / 19760 = 0.0069711538 % → fraction
        Assert.Equal(0.0000697115m, r.FundingRate8h);
        Assert.Equal(7.6334m, r.FundingAnnualizedPct);
        Assert.Equal(8m, r.FundingIntervalHours);
        Assert.Equal(Now, r.AsOfUtc);
        Assert.True(r.ReportedAlongside);
        Assert.False(r.Partial);
    }

    [Fact]
    public void Parses_string_and_number_values_and_millisecond_timestamps()
    {
        var rows = CoinalyzeVenue.Parse("""[{"symbol":"BTCUSDT_PERP.A","value":"123.5","update":"1768339800000"},{"symbol":"BTCUSD_PERP.6","value":7,"update":1768339795000}]""", "open-interest");
        Assert.Equal(2, rows.Count);
        Assert.Equal(123.5m, rows[0].Value);
        Assert.Equal(Now, rows[0].Update);
        Assert.Equal(7m, rows[1].Value);
        Assert.Equal(Now.AddSeconds(-5), rows[1].Update);
    }

    [Theory]
    [InlineData("[]", "empty list")]
    [InlineData("""{"message":"Invalid API key"}""", "error Invalid API key")]
    [InlineData("""[{"symbol":"BTCUSDT_PERP.A","update":1768339800000}]""", "'value'")]
    [InlineData("""[{"symbol":"BTCUSDT_PERP.A","value":1}]""", "'update'")]
    [InlineData("""[{"value":1,"update":1768339800000}]""", "'symbol'")]
    [InlineData("not json", "not valid JSON")]
    public void Bad_answers_are_format_errors_with_the_reason(string json, string expected)
    {
        var ex = Assert.Throws<VenueFormatException>(() => CoinalyzeVenue.Parse(json, "funding-rate"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("coinalyze funding-rate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Funding_is_a_simple_mean_when_open_interest_is_missing_and_implausible_values_are_rejected()
    {
        string[] symbols = ["A", "B"];
        var funding = new[] { new CoinalyzeVenue.Row("A", 0.01m, Now), new CoinalyzeVenue.Row("B", 0.03m, Now) };
        var (rate, at, note) = CoinalyzeVenue.Funding(funding, [], symbols, 8m, 0.005m);
        Assert.Equal(0.0002m, rate); // mean 0.02 % per 8 h
        Assert.Equal(Now, at);
        Assert.Contains("simple mean", note, StringComparison.Ordinal);

        var (hourly, _, _) = CoinalyzeVenue.Funding(funding, [], symbols, 1m, 0.005m);
        Assert.Equal(0.0016m, hourly); // 0.02 % per hour × 8

        var (rejected, _, why) = CoinalyzeVenue.Funding([new CoinalyzeVenue.Row("A", 1m, Now)], [], symbols, 8m, 0.005m);
        Assert.Null(rejected);
        Assert.Contains("beyond the plausible", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_key_it_is_skipped_with_the_reason_and_not_enabled()
    {
        var options = new DerivativesOptions();
        Assert.Contains("no API key", CoinalyzeVenue.SkipReason(options), StringComparison.Ordinal);
        options.Coinalyze.ApiKey = "  ";
        Assert.Contains("not a failure", CoinalyzeVenue.SkipReason(options), StringComparison.Ordinal);
        options.Coinalyze.ApiKey = Key;
        Assert.Null(CoinalyzeVenue.SkipReason(options));
        options.Coinalyze.Enabled = false;
        Assert.Contains("disabled", CoinalyzeVenue.SkipReason(options), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, options.Coinalyze.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reported_alongside_it_stays_out_of_the_composites_and_gets_btc_at_the_index()
    {
        var venue = new VenueOutcome
        {
            Venue = "okx",
            Status = VenueStatus.Ok,
            Reading = new VenueReading { Venue = "okx", AsOfUtc = Now, FundingRate8h = 0.0001m, FundingTimeUtc = Now.AddHours(-1), FundingIntervalHours = 8, OpenInterestBtc = 100m, IndexPriceUsd = 95_000m },
        };
        var aggregate = new VenueOutcome
        {
            Venue = "coinalyze",
            Status = VenueStatus.Ok,
            Reading = new VenueReading { Venue = "coinalyze", AsOfUtc = Now, FundingRate8h = 0.0009m, FundingTimeUtc = Now, FundingIntervalHours = 8, OpenInterestUsd = 19_000_000m, ReportedAlongside = true, Notes = ["aggregate"] },
        };
        var r = DerivativesComposite.Build([venue, aggregate], Now, new DerivativesOptions());
        Assert.Equal(0.0001m, r.FundingRate8h);
        Assert.Equal(["okx"], r.FundingVenues);
        Assert.Equal(100m, r.OffshoreOpenInterestBtc);
        Assert.Equal(["okx"], r.OpenInterestVenues);
        var reported = r.Venues.Single(v => v.Venue == "coinalyze");
        Assert.True(reported.Usable);
        Assert.Equal(200m, reported.Reading!.OpenInterestBtc); // 19 m USD / 95,000
        Assert.Contains("coinalyze: aggregate", r.Notes);

        var usdOnly = DerivativesComposite.Build([aggregate], Now, new DerivativesOptions());
        Assert.Null(usdOnly.Venues.Single().Reading!.OpenInterestBtc);
        Assert.Null(usdOnly.OffshoreOpenInterestBtc);
        Assert.Null(usdOnly.FundingRate8h);
        Assert.Contains(usdOnly.Notes, n => n.Contains("USD only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_key_is_sent_as_the_api_key_header_and_never_appears_in_errors_or_logs()
    {
        var handler = new RefusingHandler();
        var logs = new ListLogger();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Derivatives:Coinalyze:ApiKey"] = Key,
            ["Tapewatch:Derivatives:Http:MaxRetries"] = "0",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(TimeProvider.System)
            .AddDerivatives(config);
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<CoinalyzeHttpClient>();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DerivativesOptions>>().Value;
        var ex = await Assert.ThrowsAsync<VenueRequestException>(() => new CoinalyzeVenue().ReadAsync(client, options, CancellationToken.None));

        Assert.Equal(VenueErrorKind.Blocked, ex.Kind);
        Assert.Equal([Key], handler.Keys); // the header sent; a refusal stops the venue, never retried
        Assert.DoesNotContain(Key, Assert.Single(handler.Uris), StringComparison.Ordinal);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        for (Exception? e = ex; e is not null; e = e.InnerException) Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.All(logs.Lines, l => Assert.DoesNotContain(Key, l, StringComparison.Ordinal));
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<string> KeysSeen { get; } = new();

        public List<string> Keys => [.. KeysSeen];

        public ConcurrentQueue<string> Uris { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            KeysSeen.Enqueue(request.Headers.TryGetValues("api_key", out var v) ? string.Join(",", v) : "");
            Uris.Enqueue(request.RequestUri!.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent($$"""{"message":"bad key {{Key}}"}""") });
        }
    }
}
