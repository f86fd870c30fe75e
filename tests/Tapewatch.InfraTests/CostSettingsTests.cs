using System.Text.Json;

namespace Tapewatch.InfraTests;

/// <summary>
/// The settings that keep the default deployment free of fixed monthly charges (docs/cost.md): pay-per-use meters only, each
/// bounded. The monthly total itself is computed by the cost test (tests/Tapewatch.IntegrationTests/Cost).
/// </summary>
public sealed class CostSettingsTests(InfraFixture infra)
{
    /// <summary>Resource types of the default deployment: free, or billed per use only (no monthly base charge).</summary>
    private static readonly string[] NoFixedChargeTypes =
    [
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Insights/components", // workspace-based: billed as Log Analytics ingestion
        "Microsoft.KeyVault/vaults", // standard: per 10,000 operations
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.OperationalInsights/workspaces", // pay-as-you-go per GB ingested
        "Microsoft.Resources/resourceGroups",
        "Microsoft.Storage/storageAccounts", // per GB stored and per 10,000 transactions
        "Microsoft.Storage/storageAccounts/blobServices",
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        "Microsoft.Storage/storageAccounts/queueServices",
        "Microsoft.Storage/storageAccounts/queueServices/queues",
        "Microsoft.Storage/storageAccounts/tableServices",
        "Microsoft.Storage/storageAccounts/tableServices/tables",
        "Microsoft.Web/serverfarms", // Flex Consumption: per execution and GB-s (always-ready instances would be fixed: none)
        "Microsoft.Web/sites",
        "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
        "Microsoft.Web/sites/config",
    ];

    [Fact]
    public async Task Default_deployment_holds_only_resource_types_without_a_fixed_monthly_charge()
    {
        var snapshot = await infra.SnapshotMinimalAsync();
        var types = snapshot.RootElement.GetProperty("predictedResources").EnumerateArray().Select(r => r.GetProperty("type").GetString()!).Distinct(StringComparer.OrdinalIgnoreCase);
        Assert.All(types, t => Assert.Contains(t, NoFixedChargeTypes, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Flex_consumption_has_no_always_ready_instances_and_a_bounded_scale_out()
    {
        foreach (var snapshot in new[] { await infra.SnapshotMinimalAsync(), await infra.SnapshotWithPrincipalAsync() })
        {
            var scale = snapshot.Single("Microsoft.Web/sites").Properties().GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
            Assert.Equal(JsonValueKind.Array, scale.GetProperty("alwaysReady").ValueKind);
            Assert.Empty(scale.GetProperty("alwaysReady").EnumerateArray());
            Assert.Equal(40, scale.GetProperty("maximumInstanceCount").GetInt32());
            Assert.Equal(2048, scale.GetProperty("instanceMemoryMB").GetInt32());
        }
    }

    [Fact]
    public async Task Log_analytics_is_pay_as_you_go_with_free_retention_and_a_daily_cap_that_stays_inside_the_monthly_free_grant()
    {
        var snapshot = await infra.SnapshotMinimalAsync();
        var workspace = snapshot.Single("Microsoft.OperationalInsights/workspaces").Properties();

        Assert.Equal("PerGB2018", workspace.String("sku", "name"));
        Assert.False(workspace.GetProperty("sku").TryGetProperty("capacityReservationLevel", out _), "a commitment tier is a fixed daily charge");
        Assert.Equal(30, workspace.GetProperty("retentionInDays").GetInt32()); // 31 days are included in the ingestion price

        // 0.1 GB a day: a capped month (31 days) is at most 3.1 GB, inside the 5 GB of ingestion included per billing account.
        var cap = workspace.GetProperty("workspaceCapping").GetProperty("dailyQuotaGb").GetDouble();
        Assert.Equal(0.1, cap, 6);
        Assert.InRange(cap * 31, 0.0, 5.0);
    }

    [Fact]
    public async Task Application_insights_is_workspace_based_and_the_host_samples_and_skips_its_own_dependency_calls()
    {
        var snapshot = await infra.SnapshotMinimalAsync();
        var insights = snapshot.Single("Microsoft.Insights/components").Properties();
        Assert.Equal("LogAnalytics", insights.GetProperty("IngestionMode").GetString());
        Assert.Equal(snapshot.Single("Microsoft.OperationalInsights/workspaces").Id(), insights.GetProperty("WorkspaceResourceId").GetString());

        // host.json: adaptive sampling on (requests and exceptions kept whole); the host's own storage calls (lease renewals,
        // queue polling) are not sent as dependencies: the worker still tracks the app's storage and HTTP calls.
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraFixture.RepoRoot, "host.json")));
        var ai = host.RootElement.GetProperty("logging").GetProperty("applicationInsights");
        Assert.True(ai.GetProperty("samplingSettings").GetProperty("isEnabled").GetBoolean());
        Assert.Equal("Request;Exception", ai.GetProperty("samplingSettings").GetProperty("excludedTypes").GetString());
        Assert.False(ai.GetProperty("enableDependencyTracking").GetBoolean());
    }

    [Fact]
    public async Task Storage_is_locally_redundant_general_purpose_v2_hot_and_key_vault_standard()
    {
        var snapshot = await infra.SnapshotMinimalAsync();
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts");
        Assert.Equal("Standard_LRS", storage.String("sku", "name"));
        Assert.Equal("StorageV2", storage.String("kind"));
        Assert.Equal("Hot", storage.String("properties", "accessTier")); // the host's lease renewals cost more in Cool

        Assert.Equal("standard", snapshot.Single("Microsoft.KeyVault/vaults").String("properties", "sku", "name"));
    }

    [Fact]
    public async Task With_service_bus_on_the_one_added_fixed_charge_is_a_standard_namespace()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var extra = snapshot.RootElement.GetProperty("predictedResources").EnumerateArray()
            .Select(r => r.GetProperty("type").GetString()!)
            .Where(t => !NoFixedChargeTypes.Contains(t, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["Microsoft.ServiceBus/namespaces", "Microsoft.ServiceBus/namespaces/topics", "Microsoft.ServiceBus/namespaces/topics/subscriptions"], extra);
        Assert.Equal("Standard", snapshot.Single("Microsoft.ServiceBus/namespaces").String("sku", "name"));
    }
}
