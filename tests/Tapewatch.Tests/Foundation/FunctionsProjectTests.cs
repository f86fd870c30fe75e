using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Api;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Foundation;

public sealed class FunctionsProjectTests
{
    private static readonly string FunctionsOutput = Path.Combine(TestPaths.RepoRoot, "functions", "Tapewatch.Functions", "bin", TestPaths.Configuration, "net10.0");

    [Fact]
    public void Host_json_from_the_repository_root_is_in_the_build_output()
    {
        var built = Path.Combine(FunctionsOutput, "host.json");
        Assert.True(File.Exists(built), $"{built} is missing");
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "host.json")), File.ReadAllText(built));
        Assert.True(File.Exists(Path.Combine(FunctionsOutput, "functions.metadata")), "functions.metadata is missing");
    }

    [Fact]
    public void Host_json_queue_settings_match_the_evaluator_contract()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "host.json")));
        var queues = doc.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(1, queues.GetProperty("batchSize").GetInt32());
        Assert.True(TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromSeconds(30));
    }

    /// <summary>Every Core endpoint has exactly one HTTP trigger with the same method, route and access level, and vice versa.</summary>
    [Fact]
    public void Http_triggers_match_the_shared_endpoint_routes()
    {
        var services = new ServiceCollection();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true" }).Build();
        services.AddTapewatchApp(config);
        var endpoints = services.BuildServiceProvider().GetServices<ApiEndpointRegistration>()
            .Select(r => (r.Route.Method.ToUpperInvariant(), r.Route.Route, Level(r.Route.Access)))
            .Order()
            .ToList();

        var triggers = typeof(Tapewatch.Functions.Triggers.HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .SelectMany(a => (a.Methods ?? []).Select(method => (method.ToUpperInvariant(), a.Route ?? "", a.AuthLevel)))
            .Order()
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.Equal(endpoints, triggers);
    }

    private static AuthorizationLevel Level(ApiAccess access) => access switch
    {
        ApiAccess.Anonymous => AuthorizationLevel.Anonymous,
        ApiAccess.Function => AuthorizationLevel.Function,
        _ => AuthorizationLevel.Admin,
    };
}
