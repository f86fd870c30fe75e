using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Functions.Triggers;

/// <summary>CoinShares weekly flows: the Monday timer (schedule in app setting WeeklyFlowsSchedule, UTC) and the manual POST.</summary>
public sealed class WeeklyFlowsFunctions(WeeklyFlowsIngestionJob job, WeeklyFlowsEndpoint endpoint)
{
    [Function("WeeklyFlowsTimer")]
    public Task RunTimer([TimerTrigger("%WeeklyFlowsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);

    [Function("WeeklyFlowsPost")]
    public Task<IResult> Post(
        [HttpTrigger((AuthorizationLevel)ApiRoutes.WeeklyFlowsPost.Access, ApiRoutes.WeeklyFlowsPost.Method, Route = ApiRoutes.WeeklyFlowsPost.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.HandleAsync(request, cancellationToken);
}
