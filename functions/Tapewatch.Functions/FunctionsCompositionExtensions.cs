using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core;

namespace Tapewatch.Functions;

internal static class FunctionsCompositionExtensions
{
    /// <summary>
    /// Reuses the Functions host storage (AzureWebJobsStorage, connection string or identity-based
    /// service URIs) when Tapewatch:Storage is not set on its own.
    /// </summary>
    public static IConfigurationBuilder AddTapewatchFunctionsDefaults(this IConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:ConnectionString"]) && string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:TableServiceUri"]))
        {
            var hostStorage = configuration.GetSection("AzureWebJobsStorage");
            if (!string.IsNullOrWhiteSpace(hostStorage.Value))
            {
                defaults["Tapewatch:Storage:ConnectionString"] = hostStorage.Value;
            }
            else
            {
                defaults["Tapewatch:Storage:TableServiceUri"] = hostStorage["tableServiceUri"];
                defaults["Tapewatch:Storage:QueueServiceUri"] = hostStorage["queueServiceUri"];
                defaults["Tapewatch:Storage:ManagedIdentityClientId"] = hostStorage["clientId"];
            }
        }

        return configuration.AddInMemoryCollection(defaults.Where(kv => kv.Value is not null));
    }

    public static IServiceCollection AddTapewatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTapewatchApp(configuration);
        return services;
    }
}
