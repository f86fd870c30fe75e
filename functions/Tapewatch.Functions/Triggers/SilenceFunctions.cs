using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

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
