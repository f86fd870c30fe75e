using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.IntegrationTests.Derivatives;

/// <summary>Real typed clients and resilience pipelines against a loopback server that misbehaves per venue.</summary>
public sealed class VenueFailureTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 13, 21, 30, 5, TimeSpan.Zero);

    [Fact]
    public async Task One_venue_500s_one_451_one_malformed_the_composite_comes_from_the_rest_and_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeVenueServer.StartAsync(DerivativesServices.Fixtures, ct);
        server.Behaviour["binance"] = "451";
        server.Behaviour["okx"] = "500";
        server.Behaviour["bybit"] = "garbage";
        server.Behaviour["kraken"] = "429-once";
        await using var provider = DerivativesServices.Build(server.Settings(), new FixedNowTimeProvider(Now));

        var result = await provider.GetRequiredService<DerivativesIngestion>().RunAsync(new DerivativesRunRequest { DryRun = true }, ct);
        var r = result.Reading;
        var status = r.Venues.ToDictionary(v => v.Venue, v => v.Status);

        Assert.Equal(VenueStatus.Blocked, status["binance"]);
        Assert.Equal(VenueStatus.Failed, status["okx"]);
        Assert.Equal(VenueStatus.Malformed, status["bybit"]);
        Assert.Equal(VenueStatus.Ok, status["deribit"]);
        Assert.Equal(VenueStatus.Ok, status["kraken"]);

        // 451 is a configuration error: one request, no retry, and the venue stops there.
        Assert.Equal(1, server.Requests["binance"]);
        Assert.Contains("451", r.Venues.Single(v => v.Venue == "binance").Reason, StringComparison.Ordinal);
        // 500s are retried (1 + 2 retries) on each of OKX's four endpoints.
        Assert.Equal(4 * 3, server.Requests["okx"]);
        // 429 with Retry-After: waited, retried once, then fine.
        Assert.Equal(2, server.Requests["kraken"]);

        // The composite comes from Deribit and Kraken and says who was left out and why.
        Assert.Equal(["deribit", "kraken"], r.FundingVenues);
        Assert.Equal(["deribit", "kraken"], r.OpenInterestVenues);
        Assert.Equal(["deribit"], r.BasisVenues);
        Assert.Equal(12_100.5m, r.OffshoreOpenInterestBtc);
        Assert.Equal(8.1446m, r.Basis3mAnnualizedPct);
        Assert.Contains(r.Notes, n => n.StartsWith("binance: left out: Blocked", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.StartsWith("okx: left out: Failed", StringComparison.Ordinal) && n.Contains("500", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.StartsWith("bybit: left out: Malformed", StringComparison.Ordinal) && n.Contains("JSON", StringComparison.Ordinal));

        // CFTC and the BTC close came through their own clients.
        Assert.Equal(123_000m, result.Cme?.OpenInterestBtc);
        Assert.Equal(95_123.45m, result.Close?.CloseUsd);
        Assert.Equal("dry-run", result.SnapshotAction);

        // One record per venue; the blocked and malformed ones say so.
        var runs = result.Runs.ToDictionary(x => x.Dataset, x => x.Outcome);
        Assert.Equal(Tapewatch.Infrastructure.Ingestion.RunOutcome.SourceBlocked, runs["derivatives-binance"]);
        Assert.Equal(Tapewatch.Infrastructure.Ingestion.RunOutcome.ParseFailed, runs["derivatives-bybit"]);
        Assert.Equal(Tapewatch.Infrastructure.Ingestion.RunOutcome.Failed, runs["derivatives-okx"]);
        Assert.Equal(Tapewatch.Infrastructure.Ingestion.RunOutcome.Succeeded, runs["derivatives-deribit"]);

        // Coinalyze has no key here: skipped with the reason, no outcome, no run, not counted as a failure.
        Assert.DoesNotContain(r.Venues, v => v.Venue == "coinalyze");
        Assert.DoesNotContain("derivatives-coinalyze", runs.Keys);
        Assert.Contains(r.Notes, n => n.StartsWith("coinalyze: skipped: no API key", StringComparison.Ordinal));
        Assert.False(server.Requests.ContainsKey("coinalyze"));
    }

    [Fact]
    public async Task Requests_name_the_app_in_the_user_agent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeVenueServer.StartAsync(DerivativesServices.Fixtures, ct);
        await using var provider = DerivativesServices.Build(server.Settings(), new FixedNowTimeProvider(Now));
        var http = provider.GetRequiredService<DeribitHttpClient>();
        var body = await http.GetAsync(new VenueRequest("deribit", new Uri(server.BaseUrl, "deribit"), "/api/v2/public/get_index_price", [new("index_name", "btc_usd")], "btc_usd"), ct);
        Assert.Contains("index_price", body, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests["deribit"]);
        Assert.Equal("Tapewatch/1.0 (+https://github.com/tapewatch)", server.LastUserAgent);
    }
}
