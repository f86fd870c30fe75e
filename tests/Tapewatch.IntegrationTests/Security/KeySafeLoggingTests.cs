using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Api;
using Tapewatch.IntegrationTests.Alerts;
using Tapewatch.IntegrationTests.Foundation;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// The Function worker's side of "a key given as ?code= is never logged" (the local host's is exercised end to end in
/// <see cref="LocalHostKeyTests"/>): the worker runs its own Kestrel behind the Functions host, so the request-URL categories
/// are capped at Warning in its composition too, even when the configuration turns every provider up to Trace, including
/// Application Insights by name (as <c>Logging__ApplicationInsights__LogLevel__Default</c> would).
/// </summary>
public sealed class KeySafeLoggingTests
{
    [Fact]
    public async Task Function_worker_composition_never_enables_the_request_url_categories_below_Warning()
    {
        var capture = new LogCapture();
        var settings = new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:{LocalHostTests.FreePort()}/",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:" + KeySafeLogging.HostingDiagnostics] = "Information",
            ["Logging:ApplicationInsights:LogLevel:Default"] = "Trace",
            ["Logging:ApplicationInsights:LogLevel:" + KeySafeLogging.HostingDiagnostics] = "Trace",
            [$"Logging:{typeof(LogCapture).FullName}:LogLevel:Default"] = "Trace",
        };
        await using var app = FunctionTriggerHarness.Build("UseDevelopmentStorage=true", TimeProvider.System, settings, logging => logging.AddProvider(capture));
        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        var providers = app.Services.GetServices<ILoggerProvider>().Select(p => p.GetType().Name).ToList();
        Assert.Contains("ApplicationInsightsLoggerProvider", providers);

        foreach (var category in KeySafeLogging.CappedCategories)
        {
            var logger = factory.CreateLogger(category);
            Assert.False(logger.IsEnabled(LogLevel.Information), $"{category} logs at Information");
            Assert.True(logger.IsEnabled(LogLevel.Warning), $"{category} lost its warnings");
            logger.LogInformation("Request starting GET /api/regime?code={Key}", "a-function-key");
        }

        // Not vacuous: the configuration does turn everything else up.
        var other = factory.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware");
        Assert.True(other.IsEnabled(LogLevel.Trace));
        other.LogInformation("Executing endpoint {Endpoint}", "HTTP: GET /api/regime");
        Assert.DoesNotContain(capture.Entries, e => e.Text.Contains("a-function-key", StringComparison.Ordinal));
        Assert.Contains(capture.Entries, e => e.Text.Contains("Executing endpoint", StringComparison.Ordinal));
    }
}
