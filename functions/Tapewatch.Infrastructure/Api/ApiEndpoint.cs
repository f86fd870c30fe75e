using Microsoft.AspNetCore.Http;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// Who may call an endpoint. The values are those of the Functions worker's <c>AuthorizationLevel</c> (a unit test checks),
/// so a trigger casts the route table's constant (Infrastructure does not reference the worker).
/// </summary>
public enum ApiAccess
{
    /// <summary>No key (only /api/health and the dashboard's static assets).</summary>
    Anonymous = 0,

    /// <summary>A function key (reads).</summary>
    Function = 2,

    /// <summary>The admin (master) key (writes).</summary>
    Admin = 4,
}

/// <summary>One HTTP handler shared by the Function app and the local host.</summary>
public interface IApiEndpoint
{
    Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>An endpoint a host should map: one entry of <see cref="ApiRoutes"/> (the local host maps every registration).</summary>
public sealed record ApiEndpointRegistration(ApiRoute Route)
{
    public Type EndpointType => Route.Endpoint;
}
