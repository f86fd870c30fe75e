using System.Text.Json;
using NCrontab;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.InfraTests;

/// <summary>
/// Assertions on what main.bicep deploys, from `bicep snapshot` (the compiled template evaluated for a fixed
/// subscription: names, tags, properties, role assignments and app settings).
/// </summary>
public sealed class DeploymentSnapshotTests(InfraFixture infra)
{
    private static class Roles
    {
        public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
        public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
        public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
        public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
        public const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
        public const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
        public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
        public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
        public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    }

    [Fact]
    public async Task Snapshot_has_no_diagnostics()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        Assert.Empty(snapshot.RootElement.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact]
    public async Task Storage_account_disables_shared_key_access_and_public_blobs()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts").Properties();

        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public async Task Storage_declares_every_table_and_queue_the_app_uses()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();

        var tables = snapshot.Resources("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => t.Name().Split('/')[^1]);
        Assert.Equal(TableNames.All.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));

        var queues = snapshot.Resources("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => q.Name().Split('/')[^1]);
        var evaluations = AppSettingNames.DefaultEvaluationQueueName;
        Assert.Equal(new[] { evaluations, AppSettingNames.PoisonQueueOf(evaluations) }.Order(StringComparer.Ordinal), queues.Order(StringComparer.Ordinal));
        Assert.Equal(evaluations, snapshot.AppSettings()[AppSettingNames.EvaluationQueueName]);
    }

    [Fact]
    public async Task Function_app_is_flex_consumption_fc1_running_dotnet_isolated_10()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.String("sku", "name"));
        Assert.Equal("FlexConsumption", plan.String("sku", "tier"));
        Assert.True(plan.Properties().GetProperty("reserved").GetBoolean());

        var site = snapshot.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.String("kind"));
        Assert.Equal(plan.Id(), site.String("properties", "serverFarmId"));
        var config = site.Properties().GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.String("runtime", "name"));
        Assert.Equal("10.0", config.String("runtime", "version"));
        Assert.InRange(config.GetProperty("scaleAndConcurrency").GetProperty("maximumInstanceCount").GetInt32(), 40, 1000);
        Assert.True(site.Properties().GetProperty("httpsOnly").GetBoolean());
    }

    [Fact]
    public async Task Function_app_runs_as_the_user_assigned_identity_for_deployment_storage_and_key_vault_references()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id();
        var site = snapshot.Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site.String("identity", "type"));
        Assert.Equal([identity], site.GetProperty("identity").GetProperty("userAssignedIdentities").EnumerateObject().Select(p => p.Name));
        Assert.Equal(identity, site.String("properties", "keyVaultReferenceIdentity"));

        var storage = site.Properties().GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.String("type"));
        Assert.Equal("UserAssignedIdentity", storage.String("authentication", "type"));
        Assert.Equal(identity, storage.String("authentication", "userAssignedIdentityResourceId"));
        var container = Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts/blobServices/containers")).Name().Split('/')[^1];
        Assert.EndsWith($"'{container}')]", storage.String("value"), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.blob", storage.String("value"), StringComparison.Ordinal);

        foreach (var policy in new[] { "ftp", "scm" })
        {
            var resource = snapshot.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Single(r => r.Name().EndsWith("/" + policy, StringComparison.Ordinal));
            Assert.False(resource.Properties().GetProperty("allow").GetBoolean());
        }
    }

    [Fact]
    public async Task Azd_service_name_tag_matches_the_service_in_azure_yaml()
    {
        var services = AzureYamlService.Read(Path.Combine(InfraFixture.RepoRoot, "azure.yaml"));
        var service = Assert.Single(services);
        Assert.Equal("function", service.Host);
        Assert.Equal("dotnet", service.Language);
        var project = Path.GetFullPath(Path.Combine(InfraFixture.RepoRoot, service.Project));
        Assert.Equal(Path.Combine(InfraFixture.RepoRoot, "functions", "Tapewatch.Functions"), project);
        Assert.True(File.Exists(Path.Combine(project, "Tapewatch.Functions.csproj")));

        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var site = snapshot.Single("Microsoft.Web/sites");
        Assert.Equal(service.Name, site.String("tags", "azd-service-name"));
        Assert.Single(snapshot.RootElement.GetProperty("predictedResources").EnumerateArray(), r => r.String("tags", "azd-service-name") is not null);
    }

    [Fact]
    public async Task Names_come_from_one_resource_token_and_the_abbreviations_and_carry_the_azd_env_tag()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        using var abbreviations = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraFixture.InfraDirectory, "abbreviations.json")));
        string Abbr(string key) => abbreviations.RootElement.GetProperty(key).GetString()!;

        var storage = snapshot.Single("Microsoft.Storage/storageAccounts").Name();
        var token = storage[Abbr("storageStorageAccounts").Length..];
        Assert.Equal(13, token.Length);

        Assert.Equal($"{Abbr("resourcesResourceGroups")}{InfraFixture.EnvironmentName}", snapshot.Single("Microsoft.Resources/resourceGroups").Name());
        Assert.Equal($"{Abbr("keyVaultVaults")}{token}", snapshot.Single("Microsoft.KeyVault/vaults").Name());
        Assert.Equal($"{Abbr("serviceBusNamespaces")}{token}", snapshot.Single("Microsoft.ServiceBus/namespaces").Name());
        Assert.Equal($"{Abbr("insightsComponents")}{token}", snapshot.Single("Microsoft.Insights/components").Name());
        Assert.Equal($"{Abbr("operationalInsightsWorkspaces")}{token}", snapshot.Single("Microsoft.OperationalInsights/workspaces").Name());
        Assert.Equal($"{Abbr("webServerFarms")}{token}", snapshot.Single("Microsoft.Web/serverfarms").Name());
        Assert.Equal($"{Abbr("webSitesFunctions")}api-{token}", snapshot.Single("Microsoft.Web/sites").Name());
        Assert.Equal($"{Abbr("managedIdentityUserAssignedIdentities")}api-{token}", snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Name());

        var topLevel = snapshot.RootElement.GetProperty("predictedResources").EnumerateArray()
            .Where(r => r.GetProperty("type").GetString()!.Count(c => c == '/') == 1 && !r.GetProperty("type").GetString()!.StartsWith("Microsoft.Authorization/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(9, topLevel.Count);
        Assert.All(topLevel, r => Assert.Equal(InfraFixture.EnvironmentName, r.String("tags", "azd-env-name")));
    }

    [Fact]
    public async Task The_app_identity_gets_exactly_the_least_privilege_roles_on_the_right_scopes()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts").Id();
        var topic = snapshot.Single("Microsoft.ServiceBus/namespaces/topics").Id();
        var vault = snapshot.Single("Microsoft.KeyVault/vaults").Id();
        var insights = snapshot.Single("Microsoft.Insights/components").Id();
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id();

        var appRoles = snapshot.RoleAssignments()
            .Where(a => a.PrincipalId.Contains(identity, StringComparison.Ordinal) && a.PrincipalId.EndsWith(".principalId]", StringComparison.Ordinal))
            .ToList();

        Assert.All(appRoles, a => Assert.Equal("ServicePrincipal", a.PrincipalType));
        // Names are fixed GUIDs (not computed from the identity's runtime principal ID), so what-if and re-deploys predict them.
        Assert.All(snapshot.Resources("Microsoft.Authorization/roleAssignments"), r => Assert.True(Guid.TryParse(r.Name(), out _), r.Name()));
        Assert.All(appRoles, a => Assert.Equal($"/subscriptions/{InfraFixture.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{a.RoleGuid}", a.RoleDefinitionId));
        Assert.Equal(
            new[]
            {
                (Roles.StorageBlobDataOwner, storage),
                (Roles.StorageTableDataContributor, storage),
                (Roles.StorageQueueDataContributor, storage),
                (Roles.ServiceBusDataSender, topic),
                (Roles.KeyVaultSecretsUser, vault),
                (Roles.MonitoringMetricsPublisher, insights),
            }.Order(),
            appRoles.Select(a => (a.RoleGuid, a.Scope)).Order());
    }

    [Fact]
    public async Task The_deploying_user_gets_data_roles_for_local_debugging_only_when_a_principal_is_given()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts").Id();
        var topic = snapshot.Single("Microsoft.ServiceBus/namespaces/topics").Id();
        var vault = snapshot.Single("Microsoft.KeyVault/vaults").Id();

        var userRoles = snapshot.RoleAssignments().Where(a => a.PrincipalId == InfraFixture.DeployingPrincipalId).ToList();
        Assert.All(userRoles, a => Assert.Equal("User", a.PrincipalType));
        Assert.Equal(
            new[]
            {
                (Roles.StorageBlobDataContributor, storage),
                (Roles.StorageTableDataContributor, storage),
                (Roles.StorageQueueDataContributor, storage),
                (Roles.ServiceBusDataSender, topic),
                (Roles.ServiceBusDataReceiver, topic),
                (Roles.KeyVaultSecretsOfficer, vault),
            }.Order(),
            userRoles.Select(a => (a.RoleGuid, a.Scope)).Order());

        // The default deployment: the app identity's roles on storage (3), Key Vault and Application Insights; no Service Bus.
        var minimal = await infra.SnapshotMinimalAsync();
        Assert.Equal(5, minimal.RoleAssignments().Count);
        Assert.All(minimal.RoleAssignments(), a => Assert.Equal("ServicePrincipal", a.PrincipalType));
    }

    [Fact]
    public async Task App_settings_hold_no_connection_string_key_or_secret()
    {
        var settings = (await infra.SnapshotWithPrincipalAsync()).AppSettings();
        Assert.NotEmpty(settings);

        foreach (var (name, value) in settings)
        {
            foreach (var forbidden in new[] { "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "DefaultEndpointsProtocol", "UseDevelopmentStorage", "listKeys(", "Password=", "InstrumentationKey=" })
            {
                Assert.False(value.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"{name} contains {forbidden}");
            }
        }

        // The host's storage is identity-based: no AzureWebJobsStorage connection string, and no settings Flex Consumption rejects.
        foreach (var absent in new[] { "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "Tapewatch__Storage__ConnectionString" })
        {
            Assert.False(settings.ContainsKey(absent), $"{absent} must not be set");
        }

        // The only "connection string" is Application Insights' (endpoint + ingestion key, not a credential: local auth is off).
        var connectionStrings = settings.Keys.Where(k => k.Replace("_", "", StringComparison.Ordinal).Contains("ConnectionString", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], connectionStrings);
        Assert.Matches(@"^\[reference\('[^']*/Microsoft\.Insights/components/[^']+', '[^']+'\)\.ConnectionString\]$", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);

        // Anything that smells like a secret is a Key Vault reference.
        var secretLike = settings.Keys.Where(k => k.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || k.EndsWith("ApiKey", StringComparison.OrdinalIgnoreCase)
            || k.EndsWith("WebhookUrl", StringComparison.OrdinalIgnoreCase) || k.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(4, secretLike.Count);
        Assert.All(secretLike, k => Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)'", settings[k], StringComparison.Ordinal));
    }

    [Fact]
    public async Task App_settings_use_identity_based_connections_to_storage_telemetry_and_service_bus()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();
        var settings = snapshot.AppSettings();
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id();
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts").Id();
        var serviceBus = snapshot.Single("Microsoft.ServiceBus/namespaces").Id();
        var clientId = $"[reference('{identity}', '2024-11-30').clientId]";
        string Endpoint(string service) => $"[reference('{storage}', '2026-06-01').primaryEndpoints.{service}]";

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(clientId, settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(Endpoint("blob"), settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal(Endpoint("queue"), settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Equal(Endpoint("table"), settings["AzureWebJobsStorage__tableServiceUri"]);
        Assert.Equal(Endpoint("table"), settings["Tapewatch__Storage__TableServiceUri"]);
        Assert.Equal(Endpoint("queue"), settings["Tapewatch__Storage__QueueServiceUri"]);
        Assert.Equal(clientId, settings["Tapewatch__Storage__ManagedIdentityClientId"]);
        Assert.Equal(clientId, settings["AZURE_CLIENT_ID"]);
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', reference('{identity}', '2024-11-30').clientId)]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Contains($"reference('{serviceBus}', '2026-01-01').serviceBusEndpoint", settings["Tapewatch__Alerts__ServiceBus__FullyQualifiedNamespace"], StringComparison.Ordinal);
        Assert.Equal(Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces/topics")).Name().Split('/')[^1], settings["Tapewatch__Alerts__ServiceBus__TopicName"]);
    }

    [Theory]
    [InlineData("EtfFlowsSchedule")]
    [InlineData("WeeklyFlowsSchedule")]
    [InlineData("DerivativesSchedule")]
    [InlineData("DerivativesCloseSchedule")]
    public async Task Schedules_are_six_field_ncrontab_app_settings(string setting)
    {
        var value = (await infra.SnapshotWithPrincipalAsync()).AppSettings()[setting];

        Assert.Equal(6, value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var schedule = CrontabSchedule.Parse(value, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var from = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc); // a Monday
        Assert.NotEmpty(schedule.GetNextOccurrences(from, from.AddDays(7)));
    }

    [Fact]
    public async Task Key_vault_references_exist_only_for_the_secrets_declared_as_set()
    {
        var full = await infra.SnapshotWithPrincipalAsync();
        var vault = full.Single("Microsoft.KeyVault/vaults").Id();
        var references = full.AppSettings().Where(s => s.Value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal)).ToDictionary();

        Assert.Equal(
            new[] { "coinalyze-api-key", "smtp-password", "sosovalue-api-key", "teams-webhook-url" },
            references.Values.Select(v => v.Split('\'')[^2]).Order(StringComparer.Ordinal));
        Assert.All(references.Values, v => Assert.Contains($"reference('{vault}', '2026-05-15').vaultUri", v, StringComparison.Ordinal));
        Assert.Contains("Tapewatch__Alerts__Teams__WebhookUrl", references.Keys);

        var minimal = await infra.SnapshotMinimalAsync();
        Assert.DoesNotContain(minimal.AppSettings().Values, v => v.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_bus_monitoring_and_key_vault_accept_entra_id_only()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();

        var serviceBus = snapshot.Single("Microsoft.ServiceBus/namespaces");
        Assert.Equal("Standard", serviceBus.String("sku", "name"));
        Assert.True(serviceBus.Properties().GetProperty("disableLocalAuth").GetBoolean());
        var topic = Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces/topics"));
        Assert.EndsWith("/regime-events", topic.Name(), StringComparison.Ordinal);
        Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces/topics/subscriptions"), s => s.Name().StartsWith(topic.Name() + "/", StringComparison.Ordinal));

        var insights = snapshot.Single("Microsoft.Insights/components").Properties();
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Equal(snapshot.Single("Microsoft.OperationalInsights/workspaces").Id(), insights.GetProperty("WorkspaceResourceId").GetString());
        Assert.True(snapshot.Single("Microsoft.OperationalInsights/workspaces").Properties().GetProperty("features").GetProperty("disableLocalAuth").GetBoolean());

        var vault = snapshot.Single("Microsoft.KeyVault/vaults").Properties();
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enableSoftDelete").GetBoolean());
        Assert.False(vault.TryGetProperty("accessPolicies", out _));
    }
}
