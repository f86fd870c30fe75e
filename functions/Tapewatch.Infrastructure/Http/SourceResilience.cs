using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Http;

/// <summary>
/// The one resilience setup of every outbound HTTP client (the ETF flow sources, each derivatives venue, the CoinShares
/// feed, the Teams webhook): total timeout → retry → per-attempt timeout, configured from a named
/// <see cref="HttpSourceResilienceOptions"/>. Azure SDK clients retry on their own and never get one.
/// </summary>
public static class SourceResilience
{
    /// <summary>The HttpClient's own timeout: a backstop this long after the pipeline's total timeout.</summary>
    public static readonly TimeSpan ClientTimeoutBackstop = TimeSpan.FromSeconds(5);

    private const string CloudflareMitigated = "cf-mitigated";

    /// <summary>
    /// Registers the settings <paramref name="name"/>, filled from <typeparamref name="TSource"/> (the options that carry the
    /// source's configuration keys and defaults) and validated at start.
    /// </summary>
    public static OptionsBuilder<HttpSourceResilienceOptions> AddSourceResilienceOptions<TSource>(
        this IServiceCollection services, string name, Action<HttpSourceResilienceOptions, TSource> fromSource)
        where TSource : class =>
        services.AddOptions<HttpSourceResilienceOptions>(name)
            .Configure<IOptions<TSource>>((options, source) => fromSource(options, source.Value))
            .ValidateBySection(name, new HttpSourceResilienceOptionsValidator())
            .ValidateOnStart();

    /// <summary>
    /// The app's User-Agent and the pipeline <paramref name="pipelineName"/> from the settings <paramref name="optionsName"/>
    /// (see <see cref="AddSourceResilienceOptions{TSource}"/>): total timeout → retry → attempt timeout. Retried, up to
    /// <see cref="HttpSourceResilienceOptions.MaxRetryAttempts"/> times: 5xx, 408, 429, network errors and attempt timeouts
    /// (<see cref="ShouldRetry"/>), after the server's Retry-After up to <see cref="HttpSourceResilienceOptions.MaxRetryAfter"/>
    /// (<see cref="RetryAfter"/>), else after an exponential back-off with jitter. Never retried: any other 4xx (401, 403
    /// and 451 are refusals), a Cloudflare challenge, a host name that does not resolve.
    /// </summary>
    public static IHttpClientBuilder AddSourceResilience(this IHttpClientBuilder builder, string pipelineName, string optionsName)
    {
        builder.ConfigureHttpClient((services, client) =>
        {
            client.Timeout = Settings(services, optionsName).TotalTimeout + ClientTimeoutBackstop;
            client.DefaultRequestHeaders.UserAgent.ParseAdd(AppIdentity.UserAgent);
        });
        builder.AddResilienceHandler(pipelineName, (pipeline, context) =>
        {
            var o = Settings(context.ServiceProvider, optionsName);
            var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.AddTimeout(o.TotalTimeout);

            // Polly refuses MaxRetryAttempts < 1: no retries means no retry strategy.
            if (o.MaxRetryAttempts > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = o.BaseDelay,
                    MaxDelay = o.MaxDelay,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.CancellationToken)),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, o.MaxRetryAfter, time)),
                });
            }

            pipeline.AddTimeout(o.AttemptTimeout);
        });
        return builder;
    }

    /// <summary>
    /// Transient failures only: 5xx, 408 and 429 (not when Cloudflare marks the answer as a challenge), network errors,
    /// attempt timeouts and the handler's connect timeout. Never another 4xx, and not a host name that does not resolve
    /// (offline or misconfigured: retrying only delays the report).
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Result: { } response } => !response.Headers.Contains(CloudflareMitigated)
            && ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } } => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException { InnerException: TimeoutException } } => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// The server's Retry-After (seconds, or a date against <paramref name="time"/>), capped at <paramref name="cap"/>; one in
    /// the past means now; null (no header) leaves the back-off.
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } at ? at - time.GetUtcNow() : null);
        if (wait is not { } w) return null;
        if (w < TimeSpan.Zero) return TimeSpan.Zero;
        return w > cap ? cap : w;
    }

    private static HttpSourceResilienceOptions Settings(IServiceProvider services, string optionsName) =>
        services.GetRequiredService<IOptionsMonitor<HttpSourceResilienceOptions>>().Get(optionsName);
}
