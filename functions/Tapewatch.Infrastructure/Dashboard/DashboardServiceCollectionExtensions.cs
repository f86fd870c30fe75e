using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tapewatch.Infrastructure.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard model behind GET /api/dashboard (the endpoints are in Api).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DashboardService>();
        services.TryAddSingleton<DashboardEvidenceBuilder>();
        return services;
    }
}
