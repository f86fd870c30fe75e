using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Tests.Dashboard;

public sealed class DashboardEndpointTests
{
    private static ServiceProvider Services()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never contacted: the tests below stop before any storage call.
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(config);
        services.AddTapewatchApp(config);
        return services.BuildServiceProvider();
    }

    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, ServiceProvider services, Action<HttpContext>? arrange = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        arrange?.Invoke(context);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(CancellationToken.None), context.Response.Headers);
    }

    [Fact]
    public void The_app_registers_both_dashboard_endpoints_and_they_resolve()
    {
        using var services = Services();
        Assert.NotNull(services.GetRequiredService<DashboardEndpoint>());
        Assert.NotNull(services.GetRequiredService<DashboardAssetsEndpoint>());
        Assert.NotNull(services.GetRequiredService<DashboardService>());
        Assert.Equal(90, services.GetRequiredService<DashboardService>().Options.DefaultDays);
    }

    [Theory]
    [InlineData("?days=abc")]
    [InlineData("?days=0")]
    [InlineData("?days=6")]
    [InlineData("?days=731")]
    [InlineData("?days=-5")]
    [InlineData("?days=1e3")]
    [InlineData("?days=30&days=60")]
    public async Task Bad_days_is_a_400_problem_naming_the_parameter(string query)
    {
        using var services = Services();
        var endpoint = services.GetRequiredService<DashboardEndpoint>();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.QueryString = new QueryString(query);
        var result = await endpoint.HandleAsync(context.Request, CancellationToken.None);
        var (status, body, headers) = await ExecuteAsync(result, services);
        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("days", doc.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("7 to 730", doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_reject_a_default_window_longer_than_the_maximum()
    {
        var options = new DashboardOptions { DefaultDays = 800, MaxDays = 700 };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("chart.umd.min.js", "text/javascript; charset=utf-8")]
    [InlineData("chartjs-plugin-annotation.min.js", "text/javascript; charset=utf-8")]
    [InlineData("dashboard.js", "text/javascript; charset=utf-8")]
    [InlineData("dashboard.css", "text/css; charset=utf-8")]
    [InlineData("chart.js.LICENSE.md", "text/plain; charset=utf-8")]
    public async Task Assets_are_served_with_their_type_and_a_long_cache(string name, string contentType)
    {
        using var services = Services();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = "/api/dashboard/assets/" + name;
        context.Request.RouteValues["name"] = name;
        var result = await new DashboardAssetsEndpoint().HandleAsync(context.Request, CancellationToken.None);
        var (status, body, headers) = await ExecuteAsync(result, services);
        Assert.Equal(200, status);
        Assert.Equal(contentType, headers.ContentType.ToString());
        Assert.Equal("public, max-age=31536000, immutable", headers.CacheControl.ToString());
        Assert.Equal("nosniff", headers["X-Content-Type-Options"].ToString());
        Assert.Equal(DashboardAssets.Find(name)!.ETag, headers.ETag.ToString());
        Assert.True(body.Length > 100);

        var notModified = await ExecuteAsync(result, services, c => c.Request.Headers.IfNoneMatch = DashboardAssets.Find(name)!.ETag);
        Assert.Equal(304, notModified.Status);
        Assert.Equal("", notModified.Body);
    }

    [Theory]
    [InlineData("nope.js")]
    [InlineData("../appsettings.json")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("README.md")]
    [InlineData("DASHBOARD.JS")]
    [InlineData("")]
    public async Task Unknown_asset_names_are_404_problems(string name)
    {
        using var services = Services();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = "/api/dashboard/assets/" + name;
        var result = await new DashboardAssetsEndpoint().HandleAsync(context.Request, CancellationToken.None);
        var (status, _, headers) = await ExecuteAsync(result, services);
        Assert.Equal(404, status);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_result_sends_the_strict_content_security_policy_and_no_store()
    {
        using var services = Services();
        var (status, body, headers) = await ExecuteAsync(new HtmlPageResult("<!DOCTYPE html><p>x</p>"), services);
        Assert.Equal(200, status);
        Assert.Equal("text/html; charset=utf-8", headers.ContentType.ToString());
        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            headers.ContentSecurityPolicy.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal("DENY", headers.XFrameOptions.ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.Equal("<!DOCTYPE html><p>x</p>", body);
    }
}
