using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Tests.Foundation;

/// <summary>
/// The route table (<see cref="ApiRoutes"/>) is what both hosts serve and OpenAPI describes. The Function triggers are checked
/// against it in <see cref="FunctionsProjectTests"/>; the table against the security policy in the integration tests' RouteTable.
/// </summary>
public sealed class ApiRoutesTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true" };

    [Fact]
    public void Each_entry_is_one_method_and_route_with_its_own_endpoint()
    {
        Assert.Equal(15, ApiRoutes.All.Count);
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => (r.Method, r.Route)).Distinct().Count());
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Endpoint).Distinct().Count());
        Assert.All(ApiRoutes.All, r =>
        {
            Assert.True(typeof(IApiEndpoint).IsAssignableFrom(r.Endpoint), $"{r.Endpoint.Name} is not an IApiEndpoint");
            Assert.Equal(r.Method.ToUpperInvariant(), r.Method);
            Assert.False(r.Route.StartsWith('/'), r.Route);
        });
    }

    [Fact]
    public void The_composition_registers_every_entry_in_table_order()
    {
        using var services = Services();
        Assert.Equal(ApiRoutes.All, services.GetServices<ApiEndpointRegistration>().Select(r => r.Route));
        Assert.All(ApiRoutes.All, r => Assert.IsAssignableFrom<IApiEndpoint>(services.GetRequiredService(r.Endpoint)));
    }

    [Fact]
    public async Task The_local_host_maps_every_entry()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Services.AddTapewatchApp(builder.Configuration);
        await using var app = builder.Build();
        app.MapTapewatchEndpoints(apiKey: null);

        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(ApiRoutes.All.Select(r => $"{r.Method} /api/{r.Route}").Order(StringComparer.Ordinal), mapped);
    }

    [Fact]
    public void The_OpenAPI_document_describes_every_entry_from_the_table()
    {
        using var services = Services();
        var paths = OpenApiEndpoint.Build(services.GetServices<ApiEndpointRegistration>())["paths"]!.AsObject();

        Assert.Equal(ApiRoutes.All.Count, paths.Sum(p => p.Value!.AsObject().Count));
        Assert.All(ApiRoutes.All, r =>
        {
            var operation = paths["/api/" + r.Route]?[r.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{r.Method} /api/{r.Route} is not documented");
            Assert.Equal(r.Summary ?? $"{r.Method} /api/{r.Route}", operation["summary"]!.GetValue<string>());
            Assert.Equal(r.Access == ApiAccess.Anonymous, operation["security"]!.AsArray().Count == 0);
            Assert.Equal(r.Query.Select(q => q.Name), (operation["parameters"]?.AsArray() ?? new JsonArray()).Select(p => p!["name"]!.GetValue<string>()));
            Assert.Equal(r.JsonBody.Select(b => b.Name), BodyMembers(operation));
            Assert.Equal(r.NotFound is not null, operation["responses"]!["404"] is not null);
        });
    }

    private static IEnumerable<string> BodyMembers(JsonNode operation) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"]?["properties"]?.AsObject().Select(p => p.Key) ?? [];

    private static ServiceProvider Services()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddSingleton(TimeProvider.System);
        services.AddTapewatchApp(config);
        return services.BuildServiceProvider();
    }
}
