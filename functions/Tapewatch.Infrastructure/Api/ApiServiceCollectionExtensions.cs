using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tapewatch.Infrastructure.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Every HTTP endpoint, in the order the local host maps them and OpenAPI lists them. The services they call come
    /// from the feature areas (AddTapewatchApp).
    /// </summary>
    public static IServiceCollection AddTapewatchApi(this IServiceCollection services)
    {
        services.AddApiEndpoint<HealthEndpoint>();
        services.AddApiEndpoint<DashboardEndpoint>();
        services.AddApiEndpoint<DashboardAssetsEndpoint>();
        services.AddApiEndpoint<RegimeEndpoint>();
        services.AddApiEndpoint<RegimeHistoryEndpoint>();
        services.AddApiEndpoint<FlowsEndpoint>();
        services.AddApiEndpoint<WeeklyFundFlowsEndpoint>();
        services.AddApiEndpoint<DerivativesEndpoint>();
        services.AddApiEndpoint<EvaluationsEndpoint>();
        services.AddApiEndpoint<OpenApiEndpoint>();
        services.AddApiEndpoint<EtfFlowsBackfillEndpoint>();
        services.AddApiEndpoint<WeeklyFlowsEndpoint>();
        services.AddApiEndpoint<SilenceCreateEndpoint>();
        services.AddApiEndpoint<SilenceListEndpoint>();
        services.AddApiEndpoint<SilenceDeleteEndpoint>();
        return services;
    }

    public static IServiceCollection AddApiEndpoint<TEndpoint>(this IServiceCollection services)
        where TEndpoint : class, IApiEndpoint
    {
        services.TryAddTransient<TEndpoint>();
        services.AddSingleton(new ApiEndpointRegistration(typeof(TEndpoint)));
        return services;
    }
}
