using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Functions.Triggers;
using Tapewatch.IntegrationTests.Foundation;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// Both hosts against the hand-written <see cref="RouteTable"/>: the Function app's HTTP triggers (by reflection over the
/// Tapewatch.Functions assembly) and the local host's mapped endpoints (read from the running host's routing). Unlike the
/// unit tests comparing the triggers with the route table (ApiRoutes), the expected values here come from the policy, not from the code.
/// </summary>
public sealed class RouteTableTests(AzuriteFixture azurite)
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    [Fact]
    public void The_table_itself_follows_the_policy()
    {
        Assert.Equal(RouteTable.All.Count, RouteTable.All.Select(r => (r.Method, r.Path)).Distinct().Count());
        Assert.All(RouteTable.All.Where(r => WriteMethods.Contains(r.Method)), r => Assert.Equal(AuthorizationLevel.Admin, r.Level));
        Assert.All(RouteTable.All.Where(r => r.Method == "GET"), r => Assert.NotEqual(AuthorizationLevel.Admin, r.Level));
        Assert.Equal(["GET dashboard/assets/{name} Anonymous", "GET health Anonymous"], RouteTable.Lines(RouteTable.Anonymous));
        Assert.Equal(15, RouteTable.All.Count);
        Assert.Equal(5, RouteTable.All.Count(r => r.Level == AuthorizationLevel.Admin));
    }

    /// <summary>Every HTTP trigger is in the table with the same method and level, and every row of the table has its trigger.</summary>
    [Fact]
    public void Function_app_http_triggers_equal_the_table()
    {
        var triggers = HttpTriggers().ToList();
        Assert.Equal(RouteTable.Lines(RouteTable.All), RouteTable.Lines(triggers.Select(t => t.Route)));

        // One method per trigger, a route on each (no default "function name" routes), and no duplicate function names.
        Assert.All(triggers, t => Assert.False(string.IsNullOrEmpty(t.Attribute.Route), $"{t.FunctionName} has no Route"));
        Assert.All(triggers, t => Assert.Single(t.Attribute.Methods ?? []));
        var functionNames = FunctionMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).ToList();
        Assert.Equal(functionNames.Count, functionNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    /// <summary>The local host maps exactly the table's routes (method and path; its keys are checked in <see cref="LocalHostKeyTests"/>).</summary>
    [Fact]
    public async Task Local_host_maps_exactly_the_table()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(LocalHostTests.Offline)
        {
            [AppSettingNames.EvaluationQueueName] = azurite.UniqueName("routes"), // never take another test's evaluation requests
        };
        await using var host = await RunningLocalHost.StartAsync(azurite.ConnectionString, settings, time: null, ct);

        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["(any)"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var expected = RouteTable.All.Select(r => $"{r.Method} /api/{r.Path}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, mapped);
    }

    internal static IEnumerable<MethodInfo> FunctionMethods() =>
        typeof(HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    internal static IEnumerable<(string FunctionName, MethodInfo Method, HttpTriggerAttribute Attribute, ExpectedRoute Route)> HttpTriggers() =>
        from method in FunctionMethods()
        from parameter in method.GetParameters()
        let attribute = parameter.GetCustomAttribute<HttpTriggerAttribute>()
        where attribute is not null
        from verb in attribute.Methods ?? ["(any)"]
        select (method.GetCustomAttribute<FunctionAttribute>()!.Name, method, attribute, new ExpectedRoute(verb.ToUpperInvariant(), attribute.Route ?? "", attribute.AuthLevel));
}
