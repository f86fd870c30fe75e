using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Flows;

namespace Tapewatch.IntegrationTests.Flows;

/// <summary>The sources against a loopback server: what is retried, what is not, what counts as blocked.</summary>
public sealed class EtfFlowSourceResilienceTests
{
    private static readonly EtfFlowQuery Query = new(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));
    private static readonly string Page = FlowsServices.Fixture("farside_quirks.html");

    private static async Task<(EtfFlowFetch Fetch, LoopbackServer Server)> FarsideAsync(Func<HttpContext, int, Task> handler)
    {
        var server = await LoopbackServer.StartAsync(handler);
        using var sp = FlowsServices.Build(null, server.BaseUrl);
        var fetch = await sp.GetRequiredService<FarsideSource>().FetchAsync(Query, TestContext.Current.CancellationToken);
        return (fetch, server);
    }

    [Fact]
    public async Task Forbidden_is_blocked_and_never_retried()
    {
        var (fetch, server) = await FarsideAsync((c, _) => LoopbackServer.Html(c, "<html>Access denied</html>", 403));
        await using var _ = server;
        Assert.Equal(SourceOutcome.SourceBlocked, fetch.Outcome);
        Assert.Contains("HTTP 403", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Service_unavailable_is_retried_until_the_page_comes()
    {
        var (fetch, server) = await FarsideAsync((c, n) => n <= 2 ? LoopbackServer.Html(c, "busy", 503) : LoopbackServer.Html(c, Page));
        await using var _ = server;
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Equal(3, server.Requests);
        Assert.Equal(8, fetch.Rows.Count);
        Assert.All(server.Received, r => Assert.StartsWith("Tapewatch/1.0 (+https://github.com/tapewatch)", r.UserAgent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Persistent_5xx_fails_after_the_configured_retries()
    {
        var (fetch, server) = await FarsideAsync((c, _) => LoopbackServer.Html(c, "oops", 500));
        await using var _ = server;
        Assert.Equal(SourceOutcome.Failed, fetch.Outcome);
        Assert.Contains("HTTP 500", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(4, server.Requests); // 1 + MaxRetries (3)
    }

    [Fact]
    public async Task Cloudflare_challenge_503_is_blocked_without_retrying()
    {
        var challenge = FlowsServices.Fixture("farside_challenge.html");
        var (fetch, server) = await FarsideAsync((c, _) =>
        {
            c.Response.Headers["cf-mitigated"] = "challenge";
            return LoopbackServer.Html(c, challenge, 503);
        });
        await using var _ = server;
        Assert.Equal(SourceOutcome.SourceBlocked, fetch.Outcome);
        Assert.Contains("challenge", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Challenge_page_with_200_is_blocked()
    {
        var (fetch, server) = await FarsideAsync((c, _) => LoopbackServer.Html(c, FlowsServices.Fixture("farside_challenge.html")));
        await using var _ = server;
        Assert.Equal(SourceOutcome.SourceBlocked, fetch.Outcome);
        Assert.Empty(fetch.Rows);
    }

    [Fact]
    public async Task Unrecognised_table_is_parse_failed_naming_what_is_missing()
    {
        var (fetch, server) = await FarsideAsync((c, _) => LoopbackServer.Html(c, FlowsServices.Fixture("farside_unrecognised.html")));
        await using var _ = server;
        Assert.Equal(SourceOutcome.ParseFailed, fetch.Outcome);
        Assert.Contains("fund tickers", fetch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_is_honoured_but_capped()
    {
        var (fetch, server) = await FarsideAsync((c, n) =>
        {
            if (n > 1) return LoopbackServer.Html(c, Page);
            c.Response.Headers.RetryAfter = "120";
            return LoopbackServer.Html(c, "slow down", 429);
        });
        await using var _ = server;
        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Equal(2, server.Requests);

        // The wait itself, measured between the two requests at the server (no set-up time in it): capped at MaxRetryAfter
        // (200 ms here), far below the 120 s asked for; the bound leaves room for a loaded machine.
        var wait = server.Between(1, 2);
        Assert.True(wait >= TimeSpan.FromMilliseconds(150), $"waited only {wait.TotalMilliseconds:0} ms: Retry-After was not honoured up to the cap");
        Assert.True(wait < TimeSpan.FromSeconds(30), $"waited {wait.TotalSeconds:0.0} s: Retry-After 120 s was not capped at 200 ms");
    }

    [Fact]
    public async Task SoSoValue_posts_the_type_with_the_key_and_reads_totals()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync(FlowsServices.Fixture("sosovalue_history.json"));
        });
        using var sp = FlowsServices.Build(null, server.BaseUrl, extra: new() { ["Tapewatch:Flows:SoSoValue:ApiKey"] = "test-key" });
        var fetch = await sp.GetRequiredService<SoSoValueSource>().FetchAsync(Query, TestContext.Current.CancellationToken);

        Assert.Equal(SourceOutcome.Ok, fetch.Outcome);
        Assert.Equal(4, fetch.Rows.Count);
        var request = Assert.Single(server.Received);
        Assert.Equal(("POST", "/openapi/v2/etf/historicalInflowChart", "test-key"), (request.Method, request.Path, request.ApiKey));
        Assert.Equal("{\"type\":\"us-btc-spot\"}", request.Body);
    }

    [Fact]
    public async Task SoSoValue_refusing_the_key_is_blocked_and_not_retried()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => { c.Response.StatusCode = 401; return Task.CompletedTask; });
        using var sp = FlowsServices.Build(null, server.BaseUrl, extra: new() { ["Tapewatch:Flows:SoSoValue:ApiKey"] = "bad" });
        var fetch = await sp.GetRequiredService<SoSoValueSource>().FetchAsync(Query, TestContext.Current.CancellationToken);
        Assert.Equal(SourceOutcome.SourceBlocked, fetch.Outcome);
        Assert.Equal(1, server.Requests);
        Assert.DoesNotContain("bad", fetch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SoSoValue_without_a_key_is_skipped_with_a_reason_and_asks_nothing()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Task.CompletedTask);
        using var sp = FlowsServices.Build(null, server.BaseUrl);
        var fetch = await sp.GetRequiredService<SoSoValueSource>().FetchAsync(Query, TestContext.Current.CancellationToken);
        Assert.Equal(SourceOutcome.Skipped, fetch.Outcome);
        Assert.Contains("Tapewatch__Flows__SoSoValue__ApiKey", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Unreachable_source_fails_with_a_network_reason()
    {
        using var sp = FlowsServices.Build(null, new Uri("http://127.0.0.1:1/"), extra: new() { ["Tapewatch:Flows:Http:MaxRetries"] = "1" });
        var fetch = await sp.GetRequiredService<FarsideSource>().FetchAsync(Query, TestContext.Current.CancellationToken);
        Assert.Equal(SourceOutcome.Failed, fetch.Outcome);
        Assert.Contains("network error", fetch.Error, StringComparison.Ordinal);
    }
}
