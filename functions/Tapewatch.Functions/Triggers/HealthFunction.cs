using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function("Health")]
    public Task<IResult> Run(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.Health.Access, ApiRoutes.Health.Method, Route = ApiRoutes.Health.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
