using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

public sealed class RegimeFunction(RegimeEndpoint endpoint)
{
    [Function("Regime")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "regime")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class RegimeHistoryFunction(RegimeHistoryEndpoint endpoint)
{
    [Function("RegimeHistory")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "regime/history")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class FlowsFunction(FlowsEndpoint endpoint)
{
    [Function("Flows")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "flows")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class WeeklyFundFlowsFunction(WeeklyFundFlowsEndpoint endpoint)
{
    [Function("WeeklyFundFlowsGet")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "fund-flows/weekly")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class DerivativesFunction(DerivativesEndpoint endpoint)
{
    [Function("DerivativesGet")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "derivatives")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class EvaluationsFunction(EvaluationsEndpoint endpoint)
{
    [Function("EvaluationsPost")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "evaluations")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}

public sealed class OpenApiFunction(OpenApiEndpoint endpoint)
{
    [Function("OpenApi")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request, CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
