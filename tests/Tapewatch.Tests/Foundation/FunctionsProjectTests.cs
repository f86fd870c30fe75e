using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
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

    /// <summary>Every entry of the route table has one HTTP trigger with its method, route and level, and every HTTP trigger is in the table.</summary>
    [Fact]
    public void Http_triggers_are_the_route_table()
    {
        var triggers = typeof(Tapewatch.Functions.Triggers.HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .SelectMany(a => (a.Methods ?? ["(any)"]).Select(method => $"{method} {a.Route} {a.AuthLevel}"));

        Assert.Equal(TableLines(), triggers.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>What the Functions host reads (functions.metadata, generated from the trigger attributes) declares the route table.</summary>
    [Fact]
    public void Functions_metadata_declares_the_route_table()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput, "functions.metadata")));
        var declared = doc.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()} {b.GetProperty("route").GetString()} {b.GetProperty("authLevel").GetString()}"));

        Assert.Equal(TableLines(), declared.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void Api_access_levels_are_the_Functions_authorization_levels()
    {
        Assert.Equal(new[] { ApiAccess.Anonymous, ApiAccess.Function, ApiAccess.Admin }, Enum.GetValues<ApiAccess>());
        Assert.All(Enum.GetValues<ApiAccess>(), access => Assert.Equal(Enum.Parse<AuthorizationLevel>(access.ToString()), (AuthorizationLevel)access));
    }

    private static List<string> TableLines() =>
        [.. ApiRoutes.All.Select(r => $"{r.Method} {r.Route} {(AuthorizationLevel)r.Access}").Order(StringComparer.Ordinal)];
}
