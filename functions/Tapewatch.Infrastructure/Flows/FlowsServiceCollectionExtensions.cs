using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Flows;

public static class FlowsServiceCollectionExtensions
{
    /// <summary>UTC, 6 fields: at :05 and :35 past 20–23 h (the evening after the 16:00 New York close: 20:00 UTC in EDT,
    /// 21:00 UTC in EST), 00–02 h (late reporters) and 12–14 h (next morning, up to the 14:00 UTC cut-off), Monday–Saturday.</summary>
    public const string DefaultSchedule = "0 5,35 0-2,12-14,20-23 * * 1-6";

    public const string ScheduleSetting = "EtfFlowsSchedule";

    /// <summary>The resilience settings both sources share, from <c>Tapewatch:Flows:Http</c>.</summary>
    public const string ResilienceOptionsName = "flows";

    /// <summary>ETF flows: options, sources (typed HttpClients with one resilience pipeline each), ingestion, job, backfill endpoint.</summary>
    public static IServiceCollection AddFlows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFlowsSettings(configuration);
        services.AddSourceResilienceOptions<FlowsOptions>(ResilienceOptionsName, static (r, o) =>
        {
            r.MaxRetryAttempts = o.Http.MaxRetries;
            r.BaseDelay = o.Http.RetryBaseDelay;
            r.MaxDelay = o.Http.MaxRetryAfter > o.Http.RetryBaseDelay ? o.Http.MaxRetryAfter : o.Http.RetryBaseDelay;
            r.MaxRetryAfter = o.Http.MaxRetryAfter;
            r.AttemptTimeout = o.Http.AttemptTimeout;
            r.TotalTimeout = o.Http.TotalTimeout;
        });
        services.AddHttpClient<FarsideSource>().AddSourceResilience("farside", ResilienceOptionsName);
        services.AddHttpClient<SoSoValueSource>().AddSourceResilience("sosovalue", ResilienceOptionsName);
        services.AddTransient<IEtfFlowSource>(sp => sp.GetRequiredService<FarsideSource>());
        services.AddTransient<IEtfFlowSource>(sp => sp.GetRequiredService<SoSoValueSource>());
        services.TryAddTransient<EtfFlowSourceChain>();
        services.TryAddTransient<EtfFlowsIngestionService>();
        services.AddScheduledJob<EtfFlowsIngestionJob>("EtfFlows", ScheduleSetting, DefaultSchedule);
        return services;
    }

    /// <summary>
    /// ETF flows options (validated) and the session status policy, without sources or storage: part of
    /// <see cref="AddFlows"/>, and what the CLI needs to read a flows file (<c>ingest etf-flows --file … --dry-run</c>).
    /// </summary>
    public static IServiceCollection AddFlowsSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, FlowsOptions.SectionName, new FlowsOptionsValidator());
        services.TryAddSingleton(sp => new SessionStatusPolicy(sp.GetRequiredService<IOptions<FlowsOptions>>().Value));
        return services;
    }
}

[OptionsValidator]
internal sealed partial class FlowsOptionsValidator : IValidateOptions<FlowsOptions>;
