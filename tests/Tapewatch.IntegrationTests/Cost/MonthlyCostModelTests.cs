using System.Text.Json;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>The cost model refuses what it cannot price, so a new billable resource or SKU cannot pass the cost test unpriced.</summary>
public sealed class MonthlyCostModelTests
{
    private static readonly MeasuredDay Day = new(Executions: 67, TimerExecutions: 61, TimerFunctions: 4, TableTransactions: 716, QueueTransactions: 22, BilledGbSeconds: 134);

    private static DeploymentFacts Facts(string storageSku = "Standard_LRS", string[]? serviceBus = null, int alwaysReady = 0, int retention = 30) => new(
        StorageSku: storageSku,
        StorageKind: "StorageV2",
        LogAnalyticsSku: "PerGB2018",
        LogAnalyticsRetentionDays: retention,
        LogAnalyticsDailyCapGb: 0.1m,
        ApplicationInsightsWorkspaceBased: true,
        KeyVaultSku: "standard",
        KeyVaultReferences: 0,
        PlanSku: "FC1",
        AlwaysReadyInstances: alwaysReady,
        InstanceMemoryMB: 2048,
        ServiceBusNamespaceSkus: serviceBus ?? [],
        ResourceTypes: []);

    [Fact]
    public void A_resource_type_without_a_price_fails()
    {
        using var snapshot = JsonDocument.Parse("""{"predictedResources":[{"type":"Microsoft.Cache/redis","name":"r"}]}""");
        var ex = Assert.Throws<NotSupportedException>(() => DeploymentFacts.From(snapshot));
        Assert.Contains("Microsoft.Cache/redis", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Standard_GRS", null)]
    [InlineData("Standard_LRS", "Premium")]
    public void A_sku_without_prices_fails(string storageSku, string? serviceBusSku)
    {
        var facts = Facts(storageSku, serviceBusSku is null ? null : [serviceBusSku]);
        Assert.Throws<NotSupportedException>(() => MonthlyCost.Compute(Day, facts, PriceList.Load(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Fixed_charges_show_up_in_the_month_a_standard_namespace_and_an_always_ready_instance_each_break_the_budget()
    {
        var prices = PriceList.Load();
        var baseline = MonthlyCost.Compute(Day, Facts(), prices, TimeSpan.FromSeconds(10));
        Assert.True(baseline.Total < DailyCostTests.MonthlyBudget);

        var serviceBus = MonthlyCost.Compute(Day, Facts(serviceBus: ["Standard"]), prices, TimeSpan.FromSeconds(10));
        Assert.Equal(9.855m, serviceBus.Total - baseline.Total);

        // One always-ready 2 GB instance: 730 h × 3,600 s × 2 GB × $0.000004, with no free grant.
        var alwaysReady = MonthlyCost.Compute(Day, Facts(alwaysReady: 1), prices, TimeSpan.FromSeconds(10));
        Assert.Equal(21.024m, alwaysReady.Total - baseline.Total);

        // Retention beyond the included 31 days is billed per GB and month.
        Assert.True(MonthlyCost.Compute(Day, Facts(retention: 90), prices, TimeSpan.FromSeconds(10)).Total > baseline.Total);
    }
}
