using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Infrastructure.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard page (GET /api/dashboard) and its static assets.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DashboardService>();
        services.AddApiEndpoint<DashboardEndpoint>();
        services.AddApiEndpoint<DashboardAssetsEndpoint>();
        return services;
    }
}
