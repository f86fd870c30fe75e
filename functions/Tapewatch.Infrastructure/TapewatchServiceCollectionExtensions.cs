using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure;

public static class TapewatchServiceCollectionExtensions
{
    /// <summary>Storage, clock, calendar, run log, evaluation queue, stores and health: what every host needs.</summary>
    public static IServiceCollection AddTapewatchCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddClockAndCalendar(configuration);
        services.AddValidatedOptions(configuration, StorageOptions.SectionName, new StorageOptionsValidator());
        services.TryAddSingleton<TapewatchStorage>();
        services.TryAddSingleton<IngestionRunLog>();
        services.TryAddSingleton<EvaluationQueue>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<EtfSessionStore>();
        services.TryAddSingleton<WeeklyFlowStore>();
        services.TryAddSingleton<DerivativesDailyStore>();
        services.TryAddSingleton<EvaluationStore>();
        services.AddKeySafeLogging(); // a key given as ?code= never reaches the logs (request URLs)
        return services;
    }

    /// <summary>
    /// The clock and the NYSE calendar (options "Tapewatch:Calendar"): part of <see cref="AddTapewatchCore"/>, and all that a
    /// command reading files needs besides its own feature's settings (the CLI registers no more than it uses, for start-up).
    /// </summary>
    public static IServiceCollection AddClockAndCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CalendarOptions>().Bind(configuration.GetSection("Tapewatch:" + CalendarOptions.SectionName));
        // A factory: TradingCalendar has two one-argument constructors, which the container finds ambiguous.
        services.TryAddSingleton(sp => new TradingCalendar(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CalendarOptions>>().Value));
        return services;
    }

    /// <summary>
    /// Everything the Function app and the local host share: core plus every feature area. Both hosts
    /// call this one method so they run the same jobs and the same HTTP handlers.
    /// </summary>
    public static IServiceCollection AddTapewatchApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTapewatchCore(configuration);
        services.AddTapewatchApi();

        // Feature areas: one line each (keep this list; helpers add theirs here).
        services.AddDashboard(configuration);
        services.AddRules(configuration);
        services.AddDerivatives(configuration);
        services.AddFlows(configuration);
        services.AddWeekly(configuration);
        services.AddAlerts(configuration);
        return services;
    }

}
