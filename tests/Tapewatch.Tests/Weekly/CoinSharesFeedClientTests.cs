using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>The feed client as registered by AddWeekly (its one resilience pipeline), over a fake handler.</summary>
public sealed class CoinSharesFeedClientTests
{
    [Fact]
    public async Task Retries_5xx_then_returns_the_feed_and_names_the_app()
    {
        var handler = new FakeHandler(Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.BadGateway), Feed());
        var fetch = await CreateClient(handler).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.Succeeded, fetch.Outcome);
        Assert.NotNull(fetch.Body);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("https://feed.test/feed", handler.Requests[0].RequestUri!.ToString());
        Assert.Contains("Tapewatch/1.0", handler.Requests[0].Headers.UserAgent.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.UnavailableForLegalReasons)]
    public async Task Never_retries_refusals(HttpStatusCode status)
    {
        var handler = new FakeHandler(Status(status), Feed());
        var fetch = await CreateClient(handler).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.SourceBlocked, fetch.Outcome);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), fetch.Error, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries()
    {
        var handler = new FakeHandler(Enumerable.Repeat(0, 10).Select(_ => Status(HttpStatusCode.InternalServerError)).ToArray());
        var fetch = await CreateClient(handler).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.Failed, fetch.Outcome);
        Assert.Contains("HTTP 500", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(1 + 3, handler.Requests.Count);
    }

    [Fact]
    public async Task Honours_retry_after_but_caps_it()
    {
        var tooMany = Status(HttpStatusCode.TooManyRequests);
        tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1));
        var handler = new FakeHandler(tooMany, Feed());

        // Uncapped, this would wait an hour (the run's hang timeout fails it); the cap itself is pinned below.
        var fetch = await CreateClient(handler, maxRetryAfter: "00:00:00.200").FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.Succeeded, fetch.Outcome);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public void Retry_after_delta_and_date_are_capped()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var cap = TimeSpan.FromSeconds(60);
        using var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
        using var longDelta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        longDelta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(2));
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(30));
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(TimeSpan.FromSeconds(5), SourceResilience.RetryAfter(delta, cap, time));
        Assert.Equal(cap, SourceResilience.RetryAfter(longDelta, cap, time));
        Assert.Equal(TimeSpan.FromSeconds(30), SourceResilience.RetryAfter(date, cap, time));
        Assert.Null(SourceResilience.RetryAfter(none, cap, time));
    }

    [Fact]
    public async Task Refuses_a_body_above_the_cap()
    {
        var big = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[40_000]) };
        var handler = new FakeHandler(big);
        var fetch = await CreateClient(handler, maxBytes: 16_384).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.ParseFailed, fetch.Outcome);
        Assert.Contains("16384", fetch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bot_challenge_page_is_source_blocked()
    {
        var page = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<!DOCTYPE html><title>Just a moment...</title>", System.Text.Encoding.UTF8, "text/html") };
        var fetch = await CreateClient(new FakeHandler(page)).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.SourceBlocked, fetch.Outcome);
        Assert.Contains("challenge", fetch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_errors_are_retried_then_reported_as_failed()
    {
        var handler = new FakeHandler(new HttpRequestException("refused", null, HttpStatusCode.ServiceUnavailable));
        var fetch = await CreateClient(handler).FetchAsync(CancellationToken.None);

        Assert.Equal(RunOutcome.Failed, fetch.Outcome);
        Assert.Contains("could not be reached", fetch.Error, StringComparison.Ordinal);
        Assert.Equal(4, handler.Requests.Count);
    }

    internal static CoinSharesFeedClient CreateClient(FakeHandler handler, string maxRetryAfter = "00:00:01", int maxBytes = 8 * 1024 * 1024)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Tapewatch:Weekly:FeedUrl"] = "https://feed.test/feed",
            ["Tapewatch:Weekly:RetryDelay"] = "00:00:00.010",
            ["Tapewatch:Weekly:MaxRetryAfter"] = maxRetryAfter,
            ["Tapewatch:Weekly:MaxFeedBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(config);
        services.AddTapewatchApp(config);
        services.AddHttpClient<CoinSharesFeedClient>().ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider().GetRequiredService<CoinSharesFeedClient>();
    }

    private static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new StringContent("") };

    private static HttpResponseMessage Feed() => new(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(WeeklyFixtures.Bytes("feed-2025-11-10.xml")) { Headers = { ContentType = new MediaTypeHeaderValue("application/rss+xml") } },
    };
}

/// <summary>Answers queued responses in order (the last one repeats); records requests.</summary>
internal sealed class FakeHandler(params object[] answers) : HttpMessageHandler
{
    private int _next;

    public List<HttpRequestMessage> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var answer = answers[Math.Min(_next++, answers.Length - 1)];
        return answer switch
        {
            HttpResponseMessage r => Task.FromResult(Clone(r)),
            Exception e => Task.FromException<HttpResponseMessage>(e),
            Func<HttpResponseMessage> f => Task.FromResult(f()),
            _ => throw new InvalidOperationException(),
        };
    }

    // Responses are disposed by the caller; hand out a copy so a repeated answer stays usable.
    private static HttpResponseMessage Clone(HttpResponseMessage r)
    {
        var bytes = r.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var copy = new HttpResponseMessage(r.StatusCode) { Content = new ByteArrayContent(bytes) };
        foreach (var h in r.Headers) copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
        foreach (var h in r.Content.Headers) copy.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
        return copy;
    }
}
