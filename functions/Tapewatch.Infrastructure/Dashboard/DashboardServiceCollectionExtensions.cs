using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard model behind GET /api/dashboard (the endpoints are in Api).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, DashboardOptions.SectionName, new DashboardOptionsValidator());
        services.TryAddSingleton<DashboardService>();
        services.TryAddSingleton<DashboardEvidenceBuilder>();
        return services;
    }
}
