using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tapewatch.InfraTests;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>
/// What the cost of a deployment depends on, read from `bicep snapshot` of infra/main.bicep (the compiled template evaluated
/// for a fixed subscription, with the given parameters): SKUs, caps, always-ready instances, Key Vault references, Service
/// Bus namespaces. A resource type the cost model does not know fails, so a new billable resource cannot slip past it.
/// </summary>
public sealed record DeploymentFacts(
    string StorageSku,
    string StorageKind,
    string LogAnalyticsSku,
    int LogAnalyticsRetentionDays,
    decimal LogAnalyticsDailyCapGb,
    bool ApplicationInsightsWorkspaceBased,
    string KeyVaultSku,
    int KeyVaultReferences,
    string PlanSku,
    int AlwaysReadyInstances,
    int InstanceMemoryMB,
    IReadOnlyList<string> ServiceBusNamespaceSkus,
    IReadOnlyList<string> ResourceTypes)
{
    /// <summary>Resource types the cost model prices (or knows to be free).</summary>
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Insights/components",
        "Microsoft.KeyVault/vaults",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.OperationalInsights/workspaces",
        "Microsoft.Resources/resourceGroups",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.ServiceBus/namespaces/topics",
        "Microsoft.ServiceBus/namespaces/topics/subscriptions",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.Storage/storageAccounts/blobServices",
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        "Microsoft.Storage/storageAccounts/queueServices",
        "Microsoft.Storage/storageAccounts/queueServices/queues",
        "Microsoft.Storage/storageAccounts/tableServices",
        "Microsoft.Storage/storageAccounts/tableServices/tables",
        "Microsoft.Web/serverfarms",
        "Microsoft.Web/sites",
        "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
        "Microsoft.Web/sites/config",
    };

    /// <summary>The default deployment: main.bicep with only the parameters azd always sets.</summary>
    public static Task<DeploymentFacts> DefaultAsync(CancellationToken ct) => ForAsync(new Dictionary<string, string>(), ct);

    /// <summary>The default deployment with the optional Service Bus channel on.</summary>
    public static Task<DeploymentFacts> WithServiceBusAsync(CancellationToken ct) => ForAsync(new Dictionary<string, string> { ["enableServiceBus"] = "true" }, ct);

    public static DeploymentFacts From(JsonDocument snapshot)
    {
        var resources = snapshot.RootElement.GetProperty("predictedResources").EnumerateArray().ToList();
        var types = resources.Select(r => r.GetProperty("type").GetString()!).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var unknown = types.Where(t => !KnownTypes.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException($"The cost model has no price for {string.Join(", ", unknown)}: add its meters to list-prices.json and MonthlyCost.");
        }

        JsonElement One(string type) => resources.Single(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));
        var storage = One("Microsoft.Storage/storageAccounts");
        var workspace = One("Microsoft.OperationalInsights/workspaces").GetProperty("properties");
        var insights = One("Microsoft.Insights/components").GetProperty("properties");
        var vault = One("Microsoft.KeyVault/vaults").GetProperty("properties");
        var plan = One("Microsoft.Web/serverfarms");
        var scale = One("Microsoft.Web/sites").GetProperty("properties").GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        var settings = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config" && r.GetProperty("name").GetString()!.EndsWith("/appsettings", StringComparison.Ordinal))
            .GetProperty("properties").EnumerateObject().Select(p => p.Value.GetString() ?? "");

        return new DeploymentFacts(
            StorageSku: storage.GetProperty("sku").GetProperty("name").GetString()!,
            StorageKind: storage.GetProperty("kind").GetString()!,
            LogAnalyticsSku: workspace.GetProperty("sku").GetProperty("name").GetString()!,
            LogAnalyticsRetentionDays: workspace.GetProperty("retentionInDays").GetInt32(),
            LogAnalyticsDailyCapGb: workspace.TryGetProperty("workspaceCapping", out var capping) ? capping.GetProperty("dailyQuotaGb").GetDecimal() : -1m,
            ApplicationInsightsWorkspaceBased: insights.TryGetProperty("WorkspaceResourceId", out var ws) && ws.GetString() is { Length: > 0 },
            KeyVaultSku: vault.GetProperty("sku").GetProperty("name").GetString()!,
            KeyVaultReferences: settings.Count(v => v.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal)),
            PlanSku: plan.GetProperty("sku").GetProperty("name").GetString()!,
            AlwaysReadyInstances: scale.TryGetProperty("alwaysReady", out var ready) ? ready.EnumerateArray().Sum(a => a.GetProperty("instanceCount").GetInt32()) : 0,
            InstanceMemoryMB: scale.GetProperty("instanceMemoryMB").GetInt32(),
            ServiceBusNamespaceSkus: resources.Where(r => string.Equals(r.GetProperty("type").GetString(), "Microsoft.ServiceBus/namespaces", StringComparison.OrdinalIgnoreCase))
                .Select(r => r.GetProperty("sku").GetProperty("name").GetString()!).ToList(),
            ResourceTypes: types);
    }

    private const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    private const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    private const string Location = "eastus2";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Snapshots = new(StringComparer.Ordinal);

    private static async Task<DeploymentFacts> ForAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var key = string.Join(";", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        // Shared by the tests of the run (the CLI has its own time limit), so not bound to one test's token.
        var json = await Snapshots.GetOrAdd(key, _ => new Lazy<Task<string>>(() => SnapshotAsync(parameters, CancellationToken.None))).Value.WaitAsync(ct);
        using var snapshot = JsonDocument.Parse(json);
        return From(snapshot);
    }

    private static async Task<string> SnapshotAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("tapewatch-cost-").FullName;
        try
        {
            var main = Path.GetRelativePath(dir, Path.Combine(TestPaths.RepoRoot, "infra", "main.bicep")).Replace('\\', '/');
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"using '{main}'")
                .AppendLine("param environmentName = 'cost'")
                .AppendLine(CultureInfo.InvariantCulture, $"param location = '{Location}'");
            foreach (var (name, value) in parameters) text.AppendLine(CultureInfo.InvariantCulture, $"param {name} = {value}");
            var paramFile = Path.Combine(dir, "deployment.bicepparam");
            await File.WriteAllTextAsync(paramFile, text.ToString(), ct);

            var result = await BicepCli.RunAsync(dir,
                ["snapshot", paramFile, "--mode", "overwrite", "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location, "--config", Path.Combine(TestPaths.RepoRoot, "bicepconfig.json")],
                ct);
            var output = Path.Combine(dir, "deployment.snapshot.json");
            if (result.ExitCode != 0 || !File.Exists(output)) throw new InvalidOperationException($"bicep snapshot failed: {result}");
            return await File.ReadAllTextAsync(output, ct);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
