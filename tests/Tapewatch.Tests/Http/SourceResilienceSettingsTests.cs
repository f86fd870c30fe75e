using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Tests.Http;

/// <summary>
/// Each source's resilience settings come from its own configuration keys, with the defaults those keys always had, and
/// every outbound HTTP client of the app gets the shared setup.
/// </summary>
public sealed class SourceResilienceSettingsTests
{
    [Theory]
    [InlineData(FlowsServiceCollectionExtensions.ResilienceOptionsName, "", 3, "00:00:02", "00:00:30", "00:00:30", "00:00:30", "00:02:00")]
    [InlineData(FlowsServiceCollectionExtensions.ResilienceOptionsName,
        "Tapewatch:Flows:Http:MaxRetries=5;Tapewatch:Flows:Http:RetryBaseDelay=00:00:01;Tapewatch:Flows:Http:MaxRetryAfter=00:00:10;Tapewatch:Flows:Http:AttemptTimeout=00:00:20;Tapewatch:Flows:Http:TotalTimeout=00:05:00",
        5, "00:00:01", "00:00:10", "00:00:10", "00:00:20", "00:05:00")]
    [InlineData(FlowsServiceCollectionExtensions.ResilienceOptionsName, // the back-off is never capped below its first delay
        "Tapewatch:Flows:Http:RetryBaseDelay=00:00:05;Tapewatch:Flows:Http:MaxRetryAfter=00:00:01",
        3, "00:00:05", "00:00:05", "00:00:01", "00:00:30", "00:02:00")]
    [InlineData(DerivativesServiceCollectionExtensions.ResilienceOptionsName, "", 3, "00:00:01", "00:00:20", "00:00:20", "00:00:10", "00:00:45")]
    [InlineData(DerivativesServiceCollectionExtensions.ResilienceOptionsName,
        "Tapewatch:Derivatives:Http:MaxRetries=2;Tapewatch:Derivatives:Http:RetryBaseDelayMilliseconds=250;Tapewatch:Derivatives:Http:MaxRetryDelaySeconds=5;Tapewatch:Derivatives:Http:AttemptTimeoutSeconds=3;Tapewatch:Derivatives:Http:TotalTimeoutSeconds=30",
        2, "00:00:00.250", "00:00:05", "00:00:05", "00:00:03", "00:00:30")]
    [InlineData(WeeklyServiceCollectionExtensions.ResilienceOptionsName, "", 3, "00:00:02", "00:01:00", "00:01:00", "00:00:30", "00:03:00")]
    [InlineData(WeeklyServiceCollectionExtensions.ResilienceOptionsName,
        "Tapewatch:Weekly:MaxRetryAttempts=1;Tapewatch:Weekly:RetryDelay=00:00:03;Tapewatch:Weekly:MaxRetryAfter=00:00:09;Tapewatch:Weekly:AttemptTimeout=00:00:08;Tapewatch:Weekly:TotalTimeout=00:01:00",
        1, "00:00:03", "00:00:09", "00:00:09", "00:00:08", "00:01:00")]
    [InlineData(AlertsServiceCollectionExtensions.TeamsResilienceOptionsName, "", 3, "00:00:02", "00:00:30", "00:00:30", "00:00:20", "00:02:50")] // 4 × 20 s + 3 × 30 s
    [InlineData(AlertsServiceCollectionExtensions.TeamsResilienceOptionsName,
        "Tapewatch:Alerts:Teams:MaxRetries=1;Tapewatch:Alerts:Teams:RetryDelay=00:00:01;Tapewatch:Alerts:Teams:MaxRetryDelay=00:00:05;Tapewatch:Alerts:Teams:Timeout=00:00:10",
        1, "00:00:01", "00:00:05", "00:00:05", "00:00:10", "00:00:25")] // 2 × 10 s + 1 × 5 s
    public void Settings_come_from_the_sources_own_keys(
        string name, string settings, int maxRetryAttempts, string baseDelay, string maxDelay, string maxRetryAfter, string attemptTimeout, string totalTimeout)
    {
        using var services = Build(settings);

        var o = services.GetRequiredService<IOptionsMonitor<HttpSourceResilienceOptions>>().Get(name);

        Assert.Equal(
            (maxRetryAttempts, Time(baseDelay), Time(maxDelay), Time(maxRetryAfter), Time(attemptTimeout), Time(totalTimeout)),
            (o.MaxRetryAttempts, o.BaseDelay, o.MaxDelay, o.MaxRetryAfter, o.AttemptTimeout, o.TotalTimeout));
    }

    [Theory]
    [InlineData(nameof(FarsideSource), FlowsServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(SoSoValueSource), FlowsServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(BinanceHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(OkxHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(BybitHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(DeribitHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(KrakenHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(CoinalyzeHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(CftcHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(CoinbaseHttpClient), DerivativesServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(CoinSharesFeedClient), WeeklyServiceCollectionExtensions.ResilienceOptionsName)]
    [InlineData(nameof(TeamsChannel), AlertsServiceCollectionExtensions.TeamsResilienceOptionsName)]
    public void Every_outbound_client_gets_the_shared_setup(string client, string settingsName)
    {
        using var services = Build("");
        var settings = services.GetRequiredService<IOptionsMonitor<HttpSourceResilienceOptions>>().Get(settingsName);

        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(client);

        Assert.Equal(settings.TotalTimeout + SourceResilience.ClientTimeoutBackstop, http.Timeout);
        Assert.Equal(AppIdentity.UserAgent, http.DefaultRequestHeaders.UserAgent.ToString());
    }

    private static TimeSpan Time(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static ServiceProvider Build(string settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Tapewatch:Alerts:Teams:WebhookUrl"] = "https://teams.test/workflows/hook",
        };
        foreach (var pair in settings.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }
}
