using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Tests.Rules;

/// <summary>Bad requests to every engine endpoint answer 400 problem+json naming the parameter (validation runs before storage is touched).</summary>
public sealed class ApiValidationTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2025, 11, 12, 15, 0, 0, TimeSpan.Zero));

    private static ServiceProvider Services()
    {
        // A storage account nobody listens on: any storage call would fail, so a 400 proves validation came first.
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddSingleton<TimeProvider>(Time);
        services.AddTapewatchApp(config);
        return services.BuildServiceProvider();
    }

    public static TheoryData<string, string, string> BadQueries => new()
    {
        { "regime", "?asOf=2025-11-11", "asOf" },
        { "regime/history", "?from=2025-13-01", "from" },
        { "regime/history", "?to=yesterday", "to" },
        { "regime/history", "?from=2025-11-10&to=2025-11-01", "from" },
        { "regime/history", "?from=2020-01-01&to=2025-11-01", "from" },
        { "regime/history", "?from=2025-11-01&from=2025-11-02", "from" },
        { "regime/history", "?limit=5", "limit" },
        { "flows", "?from=11/01/2025", "from" },
        { "flows", "?to=2025-02-30", "to" },
        { "flows", "?to=2025-11-01&from=2022-01-01", "from" },
        { "flows", "?fund=IBIT", "fund" },
        { "fund-flows/weekly", "?from=2025-1-1", "from" },
        { "fund-flows/weekly", "?from=2025-11-10&to=2025-10-01", "from" },
        { "fund-flows/weekly", "?week=2025-11-07", "week" },
        { "derivatives", "?to=2025-11-01T00:00:00Z", "to" },
        { "derivatives", "?venue=binance", "venue" },
        { "derivatives", "?from=2000-01-01&to=2025-11-01", "from" },
        { "openapi.json", "?format=yaml", "format" },
        { "evaluations", "?changedFrom=2025-11-01", "changedFrom" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_query_parameters_are_400_problems_naming_the_parameter(string route, string query, string parameter)
    {
        var (status, contentType, body) = await InvokeAsync(route, query, null, null);
        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(parameter, doc.RootElement.GetProperty("parameter").GetString());
        Assert.Equal(400, doc.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("detail").GetString()));
    }

    public static TheoryData<string, string?, int, string> BadBodies => new()
    {
        { "{\"changedFrom\":\"2025-13-01\"}", "application/json", 400, "changedFrom" },
        { "{\"changedFrom\":\"2030-01-01\"}", "application/json", 400, "changedFrom" },
        { "{\"changedFrom\":\"2019-01-01\"}", "application/json", 400, "changedFrom" },
        { "{\"changedFrom\":20251101}", "application/json", 400, "changedFrom" },
        { "{\"since\":\"2025-11-01\"}", "application/json", 400, "since" },
        { "not json", "application/json", 400, "body" },
        { "[1,2]", "application/json", 400, "body" },
        { "{\"changedFrom\":\"2025-11-01\"}", "text/plain", 415, "body" },
        { new string('x', 5000), "application/json", 413, "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_evaluation_request_bodies_are_problems_naming_the_member(string body, string? contentType, int status, string parameter)
    {
        var (actual, type, text) = await InvokeAsync("evaluations", "", body, contentType);
        Assert.Equal(status, actual);
        Assert.StartsWith("application/problem+json", type, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(parameter, doc.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task The_functions_key_query_parameter_is_never_an_unknown_parameter()
    {
        // With ?code=… the request passes validation and reaches storage (unreachable here): not a 400.
        using var services = Services();
        var endpoint = services.GetRequiredService<OpenApiEndpoint>();
        var context = Context(services, "?code=secret", null, null);
        var result = await endpoint.HandleAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_registered_route()
    {
        using var services = Services();
        var (status, _, body) = await InvokeAsync("openapi.json", "", null, null);
        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("3.0.3", doc.RootElement.GetProperty("openapi").GetString());
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var registration in services.GetServices<ApiEndpointRegistration>())
        {
            var path = paths.GetProperty("/api/" + registration.Route.Route);
            Assert.True(path.TryGetProperty(registration.Route.Method.ToLowerInvariant(), out _), $"{registration.Route.Method} /api/{registration.Route.Route} is not documented");
        }

        var history = paths.GetProperty("/api/regime/history").GetProperty("get").GetProperty("parameters");
        Assert.Equal(new List<string> { "from", "to" }, history.EnumerateArray().Select(p => p.GetProperty("name").GetString() ?? "").ToList());
    }

    private static async Task<(int Status, string ContentType, string Body)> InvokeAsync(string route, string query, string? body, string? contentType)
    {
        using var services = Services();
        var candidates = services.GetServices<ApiEndpointRegistration>().Where(r => r.Route.Route == route).ToList();
        var registration = candidates.Count == 1 ? candidates[0] : candidates.Single(r => r.Route.Method == (body is null ? "GET" : "POST"));
        var endpoint = (IApiEndpoint)services.GetRequiredService(registration.EndpointType);
        var context = Context(services, query, body, contentType);
        context.Request.Method = registration.Route.Method;
        var result = await endpoint.HandleAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.ContentType ?? "", await new StreamReader(context.Response.Body).ReadToEndAsync(CancellationToken.None));
    }

    private static DefaultHttpContext Context(IServiceProvider services, string query, string? body, string? contentType)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Response.Body = new MemoryStream();
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        return context;
    }
}
