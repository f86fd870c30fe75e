using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

public sealed class EtfFlowsBackfillFunction(EtfFlowsBackfillEndpoint endpoint)
{
    [Function("EtfFlowsBackfill")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.EtfFlowsBackfill.Access, ApiRoutes.EtfFlowsBackfill.Method, Route = ApiRoutes.EtfFlowsBackfill.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
