using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Tests.Http;

/// <summary>
/// The one resilience setup every outbound HTTP client gets (<see cref="SourceResilience"/>), over a scripted handler and a
/// fake clock: what is retried and how often, Retry-After, the attempt and total timeouts.
/// </summary>
public sealed class SourceResilienceTests
{
    private static readonly Uri Url = new("https://source.test/data");

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    [InlineData(HttpStatusCode.UnavailableForLegalReasons, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)] // a Cloudflare challenge, whatever its status
    public async Task A_4xx_other_than_408_and_429_or_a_challenge_is_answered_at_once(HttpStatusCode status, bool challenge)
    {
        var answer = Answer(status, r =>
        {
            if (challenge) r.Headers.Add("cf-mitigated", "challenge");
        });

        Assert.Equal((status, 1), await StatusAndRequestsAsync(o => o.BaseDelay = TimeSpan.Zero, answer));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, 0)]
    [InlineData(HttpStatusCode.InternalServerError, 3)]
    [InlineData(HttpStatusCode.BadGateway, 2)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 2)]
    [InlineData(HttpStatusCode.GatewayTimeout, 1)]
    [InlineData(HttpStatusCode.RequestTimeout, 2)]
    [InlineData(HttpStatusCode.TooManyRequests, 2)]
    public async Task A_transient_status_is_retried_up_to_the_limit(HttpStatusCode status, int maxRetryAttempts) =>
        Assert.Equal((status, 1 + maxRetryAttempts), await StatusAndRequestsAsync(o => (o.BaseDelay, o.MaxRetryAttempts) = (TimeSpan.Zero, maxRetryAttempts), Answer(status)));

    [Fact]
    public async Task A_transient_status_then_success_returns_the_success()
    {
        var answers = new[] { Answer(HttpStatusCode.ServiceUnavailable), Answer(HttpStatusCode.BadGateway), Answer(HttpStatusCode.OK) };
        Assert.Equal((HttpStatusCode.OK, 3), await StatusAndRequestsAsync(o => o.BaseDelay = TimeSpan.Zero, answers));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, 3)]
    [InlineData(HttpRequestError.SecureConnectionError, 3)]
    [InlineData(HttpRequestError.Unknown, 3)]
    [InlineData(HttpRequestError.NameResolutionError, 1)]
    public async Task Network_errors_are_retried_but_a_name_that_does_not_resolve_is_not(HttpRequestError error, int requests)
    {
        using var source = new ScriptedSource(o => (o.BaseDelay, o.MaxRetryAttempts) = (TimeSpan.Zero, 2), (_, _) => throw new HttpRequestException(error, "scripted"));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => source.Client.GetAsync(Url));

        Assert.Equal(error, thrown.HttpRequestError);
        Assert.Equal(requests, source.Requests);
    }

    [Fact]
    public async Task No_retries_configured_means_one_attempt()
    {
        var answers = new[] { Answer(HttpStatusCode.ServiceUnavailable), Answer(HttpStatusCode.OK) };
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), await StatusAndRequestsAsync(o => o.MaxRetryAttempts = 0, answers));
    }

    [Theory]
    [InlineData(10, 30, 10)] // honoured
    [InlineData(3600, 30, 30)] // capped at MaxRetryAfter
    [InlineData(0, 30, 0)] // now
    public async Task Retry_after_in_seconds_sets_the_wait_up_to_the_cap(int retryAfterSeconds, int capSeconds, int expectedSeconds)
    {
        var expected = TimeSpan.FromSeconds(expectedSeconds);
        using var source = new ScriptedSource(
            o => (o.BaseDelay, o.MaxDelay, o.MaxRetryAfter) = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(capSeconds)),
            Answer(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds))),
            Answer(HttpStatusCode.OK));

        var send = source.Client.GetAsync(Url);
        if (expected > TimeSpan.Zero)
        {
            await source.Time.WaitForTimerAsync(t => t == expected);
            Assert.Equal(1, source.Requests);
            source.Time.Advance(expected - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.Equal(1, source.Requests);
            source.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        using var response = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, source.Requests);
    }

    [Fact]
    public async Task Retry_after_as_a_date_is_read_against_the_clock()
    {
        using var source = new ScriptedSource(
            o => (o.BaseDelay, o.MaxDelay) = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)),
            Answer(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimerRecordingTimeProvider.Epoch.AddSeconds(20))),
            Answer(HttpStatusCode.OK));

        var send = source.Client.GetAsync(Url);
        await source.Time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(20));
        source.Time.Advance(TimeSpan.FromSeconds(20));

        using var response = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, source.Requests);
    }

    [Fact]
    public void Retry_after_values()
    {
        var time = new TimerRecordingTimeProvider();
        var cap = TimeSpan.FromSeconds(60);
        Assert.Equal(TimeSpan.FromSeconds(5), SourceResilience.RetryAfter(WithRetryAfter(new(TimeSpan.FromSeconds(5))), cap, time));
        Assert.Equal(cap, SourceResilience.RetryAfter(WithRetryAfter(new(TimeSpan.FromHours(2))), cap, time));
        Assert.Equal(TimeSpan.FromSeconds(30), SourceResilience.RetryAfter(WithRetryAfter(new(time.GetUtcNow().AddSeconds(30))), cap, time));
        Assert.Equal(TimeSpan.Zero, SourceResilience.RetryAfter(WithRetryAfter(new(time.GetUtcNow().AddSeconds(-30))), cap, time));
        Assert.Null(SourceResilience.RetryAfter(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), cap, time));
        Assert.Null(SourceResilience.RetryAfter(null, cap, time));

        static HttpResponseMessage WithRetryAfter(RetryConditionHeaderValue value) => new(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = value } };
    }

    [Fact]
    public async Task An_attempt_that_outlasts_its_timeout_is_abandoned_and_retried()
    {
        var attempt = TimeSpan.FromSeconds(7);
        using var source = new ScriptedSource(
            o => (o.BaseDelay, o.MaxRetryAttempts, o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.Zero, 1, attempt, TimeSpan.FromMinutes(1)),
            Hang,
            Hang);

        var send = source.Client.GetAsync(Url);
        await source.Time.WaitForTimerAsync(t => t == attempt);
        source.Time.Advance(attempt);
        await source.Time.WaitForTimerAsync(t => t == attempt, count: 2);
        Assert.Equal(2, source.Requests);
        source.Time.Advance(attempt);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, source.Requests);
        Assert.All(source.Cancelled, Assert.True);
    }

    [Fact]
    public async Task The_total_timeout_ends_the_retries()
    {
        var attempt = TimeSpan.FromSeconds(10);
        using var source = new ScriptedSource(
            o => (o.BaseDelay, o.MaxRetryAttempts, o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.Zero, 5, attempt, TimeSpan.FromSeconds(15)),
            Hang);

        var send = source.Client.GetAsync(Url);
        await source.Time.WaitForTimerAsync(t => t == attempt);
        source.Time.Advance(attempt);
        await source.Time.WaitForTimerAsync(t => t == attempt, count: 2);
        source.Time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, source.Requests);
    }

    [Fact]
    public async Task The_back_off_stays_within_MaxDelay()
    {
        var cap = TimeSpan.FromMilliseconds(1500);
        using var source = new ScriptedSource(
            o => (o.BaseDelay, o.MaxDelay, o.MaxRetryAttempts, o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromSeconds(1), cap, 4, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(100)),
            Answer(HttpStatusCode.InternalServerError));

        var send = source.Client.GetAsync(Url);
        for (var retry = 1; retry <= 4; retry++)
        {
            await source.Time.WaitForTimerAsync(t => t <= cap, retry);
            source.Time.Advance(cap);
        }

        using var response = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, source.Requests);
        Assert.Equal(4, source.Time.DueTimes.Count(t => t <= cap && t > TimeSpan.Zero));
    }

    [Fact]
    public void The_client_names_the_app_and_its_own_timeout_is_a_backstop_after_the_total()
    {
        using var source = new ScriptedSource(o => o.TotalTimeout = TimeSpan.FromSeconds(50));

        Assert.Equal(TimeSpan.FromSeconds(55), source.Client.Timeout);
        Assert.Equal(Infrastructure.Hosting.AppIdentity.UserAgent, source.Client.DefaultRequestHeaders.UserAgent.ToString());
    }

    [Theory]
    [InlineData(nameof(HttpSourceResilienceOptions.MaxRetryAttempts), 11)]
    [InlineData(nameof(HttpSourceResilienceOptions.MaxRetryAttempts), -1)]
    [InlineData(nameof(HttpSourceResilienceOptions.AttemptTimeout), 0)]
    [InlineData(nameof(HttpSourceResilienceOptions.TotalTimeout), 1)] // below the attempt timeout
    [InlineData(nameof(HttpSourceResilienceOptions.BaseDelay), -1)]
    public void Settings_the_pipeline_cannot_run_with_fail_validation(string property, int value)
    {
        using var source = new ScriptedSource(o =>
        {
            switch (property)
            {
                case nameof(HttpSourceResilienceOptions.MaxRetryAttempts): o.MaxRetryAttempts = value; break;
                case nameof(HttpSourceResilienceOptions.AttemptTimeout): o.AttemptTimeout = TimeSpan.FromSeconds(value); break;
                case nameof(HttpSourceResilienceOptions.TotalTimeout): o.TotalTimeout = TimeSpan.FromSeconds(value); break;
                default: o.BaseDelay = TimeSpan.FromSeconds(value); break;
            }
        });

        var ex = Assert.Throws<OptionsValidationException>(() => source.Services.GetRequiredService<IOptionsMonitor<HttpSourceResilienceOptions>>().Get(ScriptedSource.Name));
        Assert.Contains(ex.Failures, f => f.Contains(property, StringComparison.Ordinal));
    }

    /// <summary>One GET through the pipeline: the status it ends with and how many requests reached the source.</summary>
    private static async Task<(HttpStatusCode Status, int Requests)> StatusAndRequestsAsync(
        Action<HttpSourceResilienceOptions> configure, params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] answers)
    {
        using var source = new ScriptedSource(configure, answers);
        using var response = await source.Client.GetAsync(Url);
        return (response.StatusCode, source.Requests);
    }

    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer(HttpStatusCode status, Action<HttpResponseMessage>? change = null) => (_, _) =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("") };
        change?.Invoke(response);
        return Task.FromResult(response);
    };

    private static async Task<HttpResponseMessage> Hang(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A named client with the shared pipeline over scripted answers (the last one repeats) and a recording fake clock.</summary>
    private sealed class ScriptedSource : IDisposable
    {
        public const string Name = "scripted";

        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] _answers;
        private readonly List<bool> _cancelled = [];
        private HttpClient? _client;
        private int _requests;

        public ScriptedSource(Action<HttpSourceResilienceOptions> configure, params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] answers)
        {
            _answers = answers.Length > 0 ? answers : [Answer(HttpStatusCode.OK)];
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<TimeProvider>(Time);
            services.Configure<SourceSettings>(s => s.Configure = configure);
            services.AddSourceResilienceOptions<SourceSettings>(Name, static (options, source) => source.Configure(options));
            services.AddHttpClient(Name)
                .AddSourceResilience(Name, Name)
                .ConfigurePrimaryHttpMessageHandler(() => new Handler(this));
            Services = services.BuildServiceProvider();
        }

        public TimerRecordingTimeProvider Time { get; } = new();

        public ServiceProvider Services { get; }

        /// <summary>Created on first use: creating it reads (and validates) the settings.</summary>
        public HttpClient Client => _client ??= Services.GetRequiredService<IHttpClientFactory>().CreateClient(Name);

        public int Requests => Volatile.Read(ref _requests);

        /// <summary>For each request that hung: whether its cancellation token fired.</summary>
        public IReadOnlyList<bool> Cancelled
        {
            get
            {
                lock (_cancelled) return [.. _cancelled];
            }
        }

        public void Dispose()
        {
            _client?.Dispose();
            Services.Dispose();
        }

        private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _requests);
            try
            {
                return await _answers[Math.Min(n, _answers.Length) - 1](request, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (_cancelled) _cancelled.Add(cancellationToken.IsCancellationRequested);
                throw;
            }
        }

        private sealed class Handler(ScriptedSource source) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                source.AnswerAsync(request, cancellationToken);
        }
    }

    private sealed class SourceSettings
    {
        public Action<HttpSourceResilienceOptions> Configure { get; set; } = _ => { };
    }
}
