using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

public static class DerivativesServiceCollectionExtensions
{
    public const string UserAgent = Hosting.AppIdentity.UserAgent;

    /// <summary>Venues, CFTC and BTC-close clients (one resilience pipeline each), stores, ingestion and the two jobs.</summary>
    public static IServiceCollection AddDerivatives(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DerivativesOptions>()
            .Bind(configuration.GetSection(DerivativesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, BinanceVenue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, OkxVenue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, BybitVenue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, DeribitVenue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, KrakenVenue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, CoinalyzeVenue>());

        AddSourceClient<BinanceHttpClient>(services, "binance");
        AddSourceClient<OkxHttpClient>(services, "okx");
        AddSourceClient<BybitHttpClient>(services, "bybit");
        AddSourceClient<DeribitHttpClient>(services, "deribit");
        AddSourceClient<KrakenHttpClient>(services, "kraken");
        AddSourceClient<CoinalyzeHttpClient>(services, "coinalyze", (sp, client) =>
        {
            // The key is a default header of this client only: never in a URL, a message or a recording name.
            if (sp.GetRequiredService<IOptions<DerivativesOptions>>().Value.Coinalyze.ApiKey is { Length: > 0 } key)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation("api_key", key.Trim());
            }
        });
        AddSourceClient<CftcHttpClient>(services, "cftc");
        AddSourceClient<CoinbaseHttpClient>(services, "coinbase");

        services.TryAddSingleton<DerivativesHourlyStore>();
        services.TryAddTransient<DerivativesIngestion>();
        services.AddScheduledJob<DerivativesHourlyJob>(DerivativesHourlyJob.Name, DerivativesHourlyJob.ScheduleSetting, DerivativesHourlyJob.DefaultSchedule);
        services.AddScheduledJob<DerivativesCloseJob>(DerivativesCloseJob.Name, DerivativesCloseJob.ScheduleSetting, DerivativesCloseJob.DefaultSchedule);
        return services;
    }

    /// <summary>
    /// A typed client with one pipeline: total timeout → retry (exponential with jitter on 5xx/408/429 and network
    /// errors, honouring Retry-After up to a cap; never 401/403/451) → per-attempt timeout.
    /// </summary>
    private static void AddSourceClient<TClient>(IServiceCollection services, string name, Action<IServiceProvider, HttpClient>? configure = null)
        where TClient : class
    {
        services.AddHttpClient<TClient>((sp, client) =>
            {
                configure?.Invoke(sp, client);
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline owns timeouts
                client.MaxResponseContentBufferSize = VenueHttpClient.MaxResponseBytes;
            })
            .AddResilienceHandler("derivatives-" + name, (builder, context) =>
            {
                var http = context.ServiceProvider.GetRequiredService<IOptions<DerivativesOptions>>().Value.Http;
                var maxDelay = TimeSpan.FromSeconds(http.MaxRetryDelaySeconds);
                builder.AddTimeout(TimeSpan.FromSeconds(http.TotalTimeoutSeconds));
                // MaxRetries = 0 (allowed by the options) means no retry strategy: Polly refuses MaxRetryAttempts < 1.
                if (http.MaxRetries > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = http.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(http.RetryBaseDelayMilliseconds),
                        MaxDelay = maxDelay,
                        ShouldRetryAfterHeader = false,
                        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, maxDelay)),
                        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                    });
                }

                builder.AddTimeout(TimeSpan.FromSeconds(http.AttemptTimeoutSeconds));
            });
    }

    /// <summary>
    /// Transient failures only: 5xx, 408, 429, connection errors and attempt timeouts. Never 401/403/451, and not a
    /// host name that does not resolve (offline or misconfigured: retrying only delays the report).
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } } => false,
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    /// <summary>The Retry-After delay (seconds or date), capped; null falls back to the backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        TimeSpan? delay = header.Delta ?? (header.Date is { } date && response!.Headers.Date is { } now ? date - now : null);
        if (delay is null || delay < TimeSpan.Zero) return null;
        return delay > cap ? cap : delay;
    }

    internal static string Describe(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
