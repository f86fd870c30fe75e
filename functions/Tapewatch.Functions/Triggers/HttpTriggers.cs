using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

// Every HTTP trigger: the binding from ApiRoutes (route, method, auth level) and one call to the feature's endpoint.
// One class per function so that each invocation resolves only its own endpoint.

public sealed class RegimeFunction(RegimeEndpoint endpoint)
{
    [Function("Regime")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.Regime.Access, ApiRoutes.Regime.Method, Route = ApiRoutes.Regime.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class RegimeHistoryFunction(RegimeHistoryEndpoint endpoint)
{
    [Function("RegimeHistory")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.RegimeHistory.Access, ApiRoutes.RegimeHistory.Method, Route = ApiRoutes.RegimeHistory.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class FlowsFunction(FlowsEndpoint endpoint)
{
    [Function("Flows")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.Flows.Access, ApiRoutes.Flows.Method, Route = ApiRoutes.Flows.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class WeeklyFundFlowsFunction(WeeklyFundFlowsEndpoint endpoint)
{
    [Function("WeeklyFundFlowsGet")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.WeeklyFundFlowsGet.Access, ApiRoutes.WeeklyFundFlowsGet.Method, Route = ApiRoutes.WeeklyFundFlowsGet.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class DerivativesFunction(DerivativesEndpoint endpoint)
{
    [Function("DerivativesGet")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.DerivativesGet.Access, ApiRoutes.DerivativesGet.Method, Route = ApiRoutes.DerivativesGet.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class EvaluationsFunction(EvaluationsEndpoint endpoint)
{
    [Function("EvaluationsPost")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.EvaluationsPost.Access, ApiRoutes.EvaluationsPost.Method, Route = ApiRoutes.EvaluationsPost.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class OpenApiFunction(OpenApiEndpoint endpoint)
{
    [Function("OpenApi")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.OpenApi.Access, ApiRoutes.OpenApi.Method, Route = ApiRoutes.OpenApi.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function("Health")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.Health.Access, ApiRoutes.Health.Method, Route = ApiRoutes.Health.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

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

public sealed class EtfFlowsBackfillFunction(EtfFlowsBackfillEndpoint endpoint)
{
    [Function("EtfFlowsBackfill")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.EtfFlowsBackfill.Access, ApiRoutes.EtfFlowsBackfill.Method, Route = ApiRoutes.EtfFlowsBackfill.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class SilenceFunctions(SilenceCreateEndpoint create, SilenceListEndpoint list, SilenceDeleteEndpoint delete)
{
    [Function("SilenceCreate")]
    public Task<IResult> Create(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.SilenceCreate.Access, ApiRoutes.SilenceCreate.Method, Route = ApiRoutes.SilenceCreate.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        create.HandleAsync(request, cancellationToken);

    [Function("SilenceList")]
    public Task<IResult> List(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.SilenceList.Access, ApiRoutes.SilenceList.Method, Route = ApiRoutes.SilenceList.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        list.HandleAsync(request, cancellationToken);

    [Function("SilenceDelete")]
    public Task<IResult> Delete(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.SilenceDelete.Access, ApiRoutes.SilenceDelete.Method, Route = ApiRoutes.SilenceDelete.Route)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        request.RouteValues["id"] = id; // the shared handler reads the route value, as under the local host
        return delete.HandleAsync(request, cancellationToken);
    }
}

public sealed class WeeklyFlowsPostFunction(WeeklyFlowsEndpoint endpoint)
{
    [Function("WeeklyFlowsPost")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.WeeklyFlowsPost.Access, ApiRoutes.WeeklyFlowsPost.Method, Route = ApiRoutes.WeeklyFlowsPost.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
