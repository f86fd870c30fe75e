using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

public sealed class DashboardFunction(DashboardEndpoint endpoint)
{
    [Function("Dashboard")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.Dashboard.Access, ApiRoutes.Dashboard.Method, Route = ApiRoutes.Dashboard.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

/// <summary>Static page assets (script, stylesheet, vendored Chart.js): no data, so anonymous.</summary>
public sealed class DashboardAssetsFunction(DashboardAssetsEndpoint endpoint)
{
    [Function("DashboardAssets")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.DashboardAssets.Access, ApiRoutes.DashboardAssets.Method, Route = ApiRoutes.DashboardAssets.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
