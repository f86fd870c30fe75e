using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Derivatives;

public static class DerivativesServiceCollectionExtensions
{
    /// <summary>The resilience settings every venue, CFTC and BTC-close client shares, from <c>Tapewatch:Derivatives:Http</c>.</summary>
    public const string ResilienceOptionsName = "derivatives";

    /// <summary>Venues, CFTC and BTC-close clients (one resilience pipeline each), stores, ingestion and the two jobs.</summary>
    public static IServiceCollection AddDerivatives(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, DerivativesOptions.SectionName, new DerivativesOptionsValidator());

        services.AddSourceResilienceOptions<DerivativesOptions>(ResilienceOptionsName, static (r, o) =>
        {
            r.MaxRetryAttempts = o.Http.MaxRetries;
            r.BaseDelay = TimeSpan.FromMilliseconds(o.Http.RetryBaseDelayMilliseconds);
            r.MaxDelay = r.MaxRetryAfter = TimeSpan.FromSeconds(o.Http.MaxRetryDelaySeconds);
            r.AttemptTimeout = TimeSpan.FromSeconds(o.Http.AttemptTimeoutSeconds);
            r.TotalTimeout = TimeSpan.FromSeconds(o.Http.TotalTimeoutSeconds);
        });

        // Each venue owns its settings (when it is read) and its typed client; the ingestion reads them in this order.
        AddVenue<BinanceVenue, BinanceHttpClient>(services, "binance", static o => o.Binance.Enabled);
        AddVenue<OkxVenue, OkxHttpClient>(services, "okx", static o => o.Okx.Enabled);
        AddVenue<BybitVenue, BybitHttpClient>(services, "bybit", static o => o.Bybit.Enabled);
        AddVenue<DeribitVenue, DeribitHttpClient>(services, "deribit", static o => o.Deribit.Enabled);
        AddVenue<KrakenVenue, KrakenHttpClient>(services, "kraken", static o => o.Kraken.Enabled);
        AddVenue<CoinalyzeVenue, CoinalyzeHttpClient>(
            services,
            "coinalyze",
            static o => CoinalyzeVenue.SkipReason(o) is null,
            skippedNote: CoinalyzeVenue.SkipReason,
            configure: static (sp, client) =>
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
        services.TryAddTransient<CmeAndBtcCloseReader>();
        services.TryAddTransient<DerivativesStorage>();
        // Storage is opened only when a run stores: a dry run works without storage configured.
        services.TryAddTransient(static sp => new Lazy<DerivativesStorage>(sp.GetRequiredService<DerivativesStorage>));
        services.TryAddTransient<DerivativesIngestion>();
        services.AddScheduledJob<DerivativesHourlyJob>(DerivativesHourlyJob.Name, DerivativesHourlyJob.ScheduleSetting, DerivativesHourlyJob.DefaultSchedule);
        services.AddScheduledJob<DerivativesCloseJob>(DerivativesCloseJob.Name, DerivativesCloseJob.ScheduleSetting, DerivativesCloseJob.DefaultSchedule);
        return services;
    }

    /// <summary>A venue: its reader, its typed client and its <see cref="IDerivativesVenueSource"/> (on when <paramref name="isEnabled"/>).</summary>
    private static void AddVenue<TVenue, TClient>(
        IServiceCollection services,
        string name,
        Func<DerivativesOptions, bool> isEnabled,
        Func<DerivativesOptions, string?>? skippedNote = null,
        Action<IServiceProvider, HttpClient>? configure = null)
        where TVenue : DerivativesVenue
        where TClient : VenueHttpClient
    {
        services.TryAddSingleton<TVenue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DerivativesVenue, TVenue>(static sp => sp.GetRequiredService<TVenue>()));
        AddSourceClient<TClient>(services, name, configure);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IDerivativesVenueSource, DerivativesVenueSource<TVenue, TClient>>(sp => new(
            sp.GetRequiredService<TVenue>(),
            sp.GetRequiredService<TClient>(),
            sp.GetRequiredService<IOptions<DerivativesOptions>>(),
            isEnabled,
            skippedNote)));
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

[OptionsValidator]
internal sealed partial class DerivativesOptionsValidator : IValidateOptions<DerivativesOptions>;
