using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;
using Tapewatch.Infrastructure;

namespace Tapewatch.Functions;

internal static class FunctionsCompositionExtensions
{
    /// <summary>Exit code of the worker when configuration is unusable (as the CLI's exit code 3).</summary>
    public const int ConfigurationErrorExitCode = 3;

    /// <summary>App setting with the Application Insights connection string; telemetry is on only when it is set.</summary>
    public const string ApplicationInsightsConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

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

    /// <summary>
    /// Sends the worker's logs, traces and dependencies to Application Insights (the worker integration: correlated with the
    /// host's request telemetry) when APPLICATIONINSIGHTS_CONNECTION_STRING is set. With APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    /// (ClientId=…;Authorization=AAD) the integration authenticates with the managed identity, as the resource's local auth is off.
    /// </summary>
    public static IServiceCollection AddTapewatchTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[ApplicationInsightsConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        services.AddApplicationInsightsTelemetryWorkerService(options => options.ConnectionString = connectionString);
        services.ConfigureFunctionsApplicationInsights();

        // The SDK adds a filter that keeps only Warning and above from ILogger; let the logging configuration decide instead.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var sdkDefault = options.Rules.FirstOrDefault(rule => rule.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName);
            if (sdkDefault is not null)
            {
                options.Rules.Remove(sdkDefault);
            }
        });
        return services;
    }

    public static IServiceCollection AddTapewatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTapewatchApp(configuration);
        return services;
    }
}
