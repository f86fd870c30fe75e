using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>Each venue is registered once, in reading order, and is switched on and off by its own settings.</summary>
public sealed class DerivativesVenueSourceTests
{
    [Fact]
    public async Task Venues_are_read_in_order_and_each_is_enabled_by_its_own_settings()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Derivatives:Binance:Enabled"] = "false",
            ["Tapewatch:Derivatives:Kraken:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(TimeProvider.System)
            .AddDerivatives(config)
            .AddDerivatives(config); // registering twice adds nothing
        await using var provider = services.BuildServiceProvider();

        var venues = provider.GetServices<IDerivativesVenueSource>().ToList();

        Assert.Equal(["binance", "okx", "bybit", "deribit", "kraken", "coinalyze"], venues.Select(v => v.Name));
        Assert.Equal(["okx", "bybit", "deribit"], venues.Where(v => v.IsEnabled).Select(v => v.Name));
        var coinalyze = venues.Single(v => v.Name == "coinalyze");
        Assert.Contains("no API key", coinalyze.SkippedNote, StringComparison.Ordinal);
        Assert.All(venues.Where(v => v.Name != "coinalyze"), v => Assert.Null(v.SkippedNote));
    }

    [Fact]
    public async Task Coinalyze_with_a_key_is_enabled_and_adds_no_note()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Derivatives:Coinalyze:ApiKey"] = "k",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(TimeProvider.System).AddDerivatives(config).BuildServiceProvider();

        var coinalyze = provider.GetServices<IDerivativesVenueSource>().Single(v => v.Name == "coinalyze");

        Assert.True(coinalyze.IsEnabled);
        Assert.Null(coinalyze.SkippedNote);
    }
}
