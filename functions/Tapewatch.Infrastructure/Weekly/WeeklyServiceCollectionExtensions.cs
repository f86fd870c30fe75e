using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Weekly;

public static class WeeklyServiceCollectionExtensions
{
    public const string PipelineName = "coinshares-feed";

    /// <summary>The feed's resilience settings, from <c>Tapewatch:Weekly</c>.</summary>
    public const string ResilienceOptionsName = "weekly";

    /// <summary>CoinShares weekly flows: options, feed client (one resilience pipeline), ingestion, job, manual endpoint.</summary>
    public static IServiceCollection AddWeekly(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, WeeklyFlowsOptions.SectionName, new WeeklyFlowsOptionsValidator());
        services.TryAddSingleton<WeeklyFlowIngestion>();

        services.AddSourceResilienceOptions<WeeklyFlowsOptions>(ResilienceOptionsName, static (r, o) =>
        {
            r.MaxRetryAttempts = o.MaxRetryAttempts;
            r.BaseDelay = o.RetryDelay;
            r.MaxDelay = r.MaxRetryAfter = o.MaxRetryAfter;
            r.AttemptTimeout = o.AttemptTimeout;
            r.TotalTimeout = o.TotalTimeout;
        });
        services.AddHttpClient<CoinSharesFeedClient>(client =>
                client.DefaultRequestHeaders.Accept.ParseAdd("application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.7"))
            .AddSourceResilience(PipelineName, ResilienceOptionsName);

        services.AddScheduledJob<WeeklyFlowsIngestionJob>(WeeklyFlowsIngestionJob.Name, WeeklyFlowsIngestionJob.ScheduleSetting, WeeklyFlowsIngestionJob.DefaultSchedule);
        return services;
    }
}

[OptionsValidator]
internal sealed partial class WeeklyFlowsOptionsValidator : IValidateOptions<WeeklyFlowsOptions>;
