using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;
using Microsoft.Extensions.Options;
using Tapewatch.Functions;

namespace Tapewatch.Tests.Hosting;

public sealed class FunctionsTelemetryTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://ingest.invalid/";

    [Fact]
    public void Without_a_connection_string_no_telemetry_is_registered()
    {
        var services = new ServiceCollection();
        services.AddTapewatchTelemetry(new ConfigurationBuilder().Build());

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(TelemetryClient));
    }

    /// <summary>
    /// Resolving the client runs the Functions worker integration's initializers: with an Application Insights SDK it was not
    /// built for (3.x) this throws a TypeLoadException, so the test guards the package pairing too.
    /// </summary>
    [Fact]
    public async Task With_a_connection_string_the_worker_integration_sends_to_application_insights()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FunctionsCompositionExtensions.ApplicationInsightsConnectionStringSetting] = ConnectionString })
            .Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTapewatchTelemetry(configuration);

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TelemetryClient>();
        var telemetry = provider.GetRequiredService<TelemetryConfiguration>();

        Assert.NotNull(client);
        Assert.Equal(ConnectionString, telemetry.ConnectionString);
        Assert.Contains(telemetry.TelemetryInitializers, i => i.GetType().FullName!.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal));
        var rules = provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.DoesNotContain(rules, r => r.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName && r.LogLevel == LogLevel.Warning && r.CategoryName is null);
    }
}
