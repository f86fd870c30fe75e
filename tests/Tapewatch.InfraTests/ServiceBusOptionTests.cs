using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Alerts.Channels;

namespace Tapewatch.InfraTests;

/// <summary>
/// The Service Bus channel is optional (<c>enableServiceBus</c>, azd: <c>TAPEWATCH_SERVICE_BUS</c>, default off): a Standard
/// namespace has a fixed monthly base charge, many times the rest of the default deployment (docs/cost.md). Off, nothing
/// of it is deployed and the app gets no Service Bus settings, so it registers no Service Bus channel; on, the namespace,
/// topic, example subscription, the app's sender role on the topic and the settings are all there.
/// </summary>
public sealed class ServiceBusOptionTests(InfraFixture infra)
{
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string SettingsPrefix = "Tapewatch__Alerts__ServiceBus__";

    [Fact]
    public async Task Parameter_is_a_bool_that_defaults_to_off_and_azd_maps_it_from_the_environment()
    {
        var build = await infra.BuildAsync();
        using var main = build.Template("main.json");
        var parameter = main.RootElement.GetProperty("parameters").GetProperty("enableServiceBus");
        Assert.Equal("bool", parameter.GetProperty("type").GetString());
        Assert.False(parameter.GetProperty("defaultValue").GetBoolean());

        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraFixture.InfraDirectory, "main.parameters.json")));
        Assert.Equal("${TAPEWATCH_SERVICE_BUS=false}", file.RootElement.GetProperty("parameters").GetProperty("enableServiceBus").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Default_deployment_has_no_service_bus_resource_setting_role_or_output_value()
    {
        var snapshot = await infra.SnapshotMinimalAsync();

        Assert.DoesNotContain(
            snapshot.RootElement.GetProperty("predictedResources").EnumerateArray(),
            r => r.GetProperty("type").GetString()!.StartsWith("Microsoft.ServiceBus/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(snapshot.AppSettings().Keys, k => k.StartsWith(SettingsPrefix, StringComparison.Ordinal));
        Assert.DoesNotContain(snapshot.RoleAssignments(), a => a.RoleGuid is ServiceBusDataSender or ServiceBusDataReceiver);
        Assert.DoesNotContain(snapshot.RoleAssignments(), a => a.Scope.Contains("/Microsoft.ServiceBus/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Outputs_are_empty_unless_the_channel_is_on()
    {
        var build = await infra.BuildAsync();
        using var main = build.Template("main.json");
        var outputs = main.RootElement.GetProperty("outputs");
        Assert.Equal(
            "[if(parameters('enableServiceBus'), reference('serviceBus').outputs.fullyQualifiedNamespace.value, '')]",
            outputs.GetProperty("AZURE_SERVICE_BUS_NAMESPACE").GetProperty("value").GetString());
        Assert.Equal(
            "[if(parameters('enableServiceBus'), parameters('regimeEventsTopicName'), '')]",
            outputs.GetProperty("AZURE_SERVICE_BUS_TOPIC_NAME").GetProperty("value").GetString());
        Assert.Equal("[parameters('enableServiceBus')]", main.RootElement.GetProperty("resources").GetProperty("serviceBus").GetProperty("condition").GetString());
    }

    [Fact]
    public async Task Enabled_it_deploys_a_standard_namespace_topic_subscription_sender_role_and_the_settings()
    {
        var snapshot = await infra.SnapshotWithPrincipalAsync();

        var serviceBus = snapshot.Single("Microsoft.ServiceBus/namespaces");
        Assert.Equal(("Standard", "Standard"), (serviceBus.String("sku", "name"), serviceBus.String("sku", "tier")));
        Assert.True(serviceBus.Properties().GetProperty("disableLocalAuth").GetBoolean());
        var topic = snapshot.Single("Microsoft.ServiceBus/namespaces/topics");
        Assert.Equal($"{serviceBus.Name()}/regime-events", topic.Name());
        var subscription = snapshot.Single("Microsoft.ServiceBus/namespaces/topics/subscriptions");
        Assert.Equal($"{topic.Name()}/sample", subscription.Name());

        // The app identity: Azure Service Bus Data Sender on the topic, nothing on the namespace.
        var identity = snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities").Id();
        var appOnServiceBus = snapshot.RoleAssignments()
            .Where(a => a.PrincipalId.Contains(identity, StringComparison.Ordinal) && a.Scope.Contains("/Microsoft.ServiceBus/", StringComparison.OrdinalIgnoreCase))
            .Select(a => (a.RoleGuid, a.Scope));
        Assert.Equal([(ServiceBusDataSender, topic.Id())], appOnServiceBus);

        var settings = snapshot.AppSettings().Where(s => s.Key.StartsWith(SettingsPrefix, StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(["FullyQualifiedNamespace", "ManagedIdentityClientId", "TopicName"], settings.Keys.Select(k => k[SettingsPrefix.Length..]).Order(StringComparer.Ordinal));
        Assert.Contains($"reference('{serviceBus.Id()}', '2026-01-01').serviceBusEndpoint", settings[SettingsPrefix + "FullyQualifiedNamespace"], StringComparison.Ordinal);
        Assert.Equal("regime-events", settings[SettingsPrefix + "TopicName"]);
        Assert.Equal($"[reference('{identity}', '2024-11-30').clientId]", settings[SettingsPrefix + "ManagedIdentityClientId"]);
    }

    /// <summary>
    /// What the app reads: the Service Bus channel is registered only when TopicName and a namespace (or connection string) are
    /// set under Tapewatch:Alerts:ServiceBus. The default deployment sets neither; enabled, it sets both.
    /// </summary>
    [Fact]
    public async Task The_settings_that_switch_the_app_channel_on_come_exactly_with_the_namespace()
    {
        static bool ChannelConfigured(IReadOnlyDictionary<string, string> settings) =>
            settings.ContainsKey(SettingsPrefix + "TopicName")
            && (settings.ContainsKey(SettingsPrefix + "FullyQualifiedNamespace") || settings.ContainsKey(SettingsPrefix + "ConnectionString"));

        Assert.False(ChannelConfigured((await infra.SnapshotMinimalAsync()).AppSettings()));
        Assert.True(ChannelConfigured((await infra.SnapshotWithPrincipalAsync()).AppSettings()));
        Assert.DoesNotContain((await infra.SnapshotWithPrincipalAsync()).AppSettings().Keys, k => k == SettingsPrefix + "ConnectionString");
    }

    /// <summary>
    /// The app's own registration (AddAlerts) fed each deployment's app settings as the Functions worker reads them
    /// (environment variables, "__" = ":"): no Service Bus sender by default, one when the channel is on.
    /// </summary>
    [Fact]
    public async Task The_app_registers_the_service_bus_channel_only_for_the_deployment_that_has_the_namespace()
    {
        static bool Registers(IReadOnlyDictionary<string, string> settings)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
                .Build();
            var services = new ServiceCollection().AddAlerts(configuration);
            return services.Any(d => d.ServiceType == typeof(ServiceBusSenderProvider));
        }

        Assert.False(Registers((await infra.SnapshotMinimalAsync()).AppSettings()));
        Assert.True(Registers((await infra.SnapshotWithPrincipalAsync()).AppSettings()));
    }
}
