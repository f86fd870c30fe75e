using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

public static class DerivativesServiceCollectionExtensions
{
    /// <summary>The resilience settings every venue, CFTC and BTC-close client shares, from <c>Tapewatch:Derivatives:Http</c>.</summary>
    public const string ResilienceOptionsName = "derivatives";

    /// <summary>Venues, CFTC and BTC-close clients (one resilience pipeline each), stores, ingestion and the two jobs.</summary>
    public static IServiceCollection AddDerivatives(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DerivativesOptions>()
            .Bind(configuration.GetSection(DerivativesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSourceResilienceOptions<DerivativesOptions>(ResilienceOptionsName, static (r, o) =>
        {
            r.MaxRetryAttempts = o.Http.MaxRetries;
            r.BaseDelay = TimeSpan.FromMilliseconds(o.Http.RetryBaseDelayMilliseconds);
            r.MaxDelay = r.MaxRetryAfter = TimeSpan.FromSeconds(o.Http.MaxRetryDelaySeconds);
            r.AttemptTimeout = TimeSpan.FromSeconds(o.Http.AttemptTimeoutSeconds);
            r.TotalTimeout = TimeSpan.FromSeconds(o.Http.TotalTimeoutSeconds);
        });

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

    /// <summary>A typed client of one source with its own pipeline from the shared settings (<see cref="SourceResilience"/>).</summary>
    private static void AddSourceClient<TClient>(IServiceCollection services, string name, Action<IServiceProvider, HttpClient>? configure = null)
        where TClient : class
    {
        services.AddHttpClient<TClient>((sp, client) =>
            {
                configure?.Invoke(sp, client);
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                client.MaxResponseContentBufferSize = VenueHttpClient.MaxResponseBytes;
            })
            .AddSourceResilience("derivatives-" + name, ResilienceOptionsName);
    }
}
