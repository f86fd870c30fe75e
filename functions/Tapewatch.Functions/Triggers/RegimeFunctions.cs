using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

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
