using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tapewatch.Infrastructure.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Every endpoint of the route table (<see cref="ApiRoutes.All"/>): its handler and its registration, which the local host
    /// maps and OpenAPI describes. The services they call come from the feature areas (AddTapewatchApp).
    /// </summary>
    public static IServiceCollection AddTapewatchApi(this IServiceCollection services)
    {
        foreach (var route in ApiRoutes.All)
        {
            services.TryAddTransient(route.Endpoint);
            services.AddSingleton(new ApiEndpointRegistration(route));
        }

        return services;
    }
}
