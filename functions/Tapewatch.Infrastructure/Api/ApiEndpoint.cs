using Microsoft.AspNetCore.Http;

namespace Tapewatch.Infrastructure.Api;

/// <summary>Who may call an endpoint. Maps to Functions authorization levels in Azure.</summary>
public enum ApiAccess
{
    /// <summary>No key (only /api/health).</summary>
    Anonymous,

    /// <summary>A function key (reads).</summary>
    Function,

    /// <summary>The admin (master) key (writes).</summary>
    Admin,
}

/// <summary>
/// Declares the route of an HTTP endpoint. The Function app's trigger for it must use the same
/// method, route and authorization level (a test checks); the local host maps it from this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ApiRouteAttribute(string method, string route, ApiAccess access) : Attribute
{
    public string Method { get; } = method;

    /// <summary>Route below /api, e.g. "health" or "regime/history".</summary>
    public string Route { get; } = route;

    public ApiAccess Access { get; } = access;
}

/// <summary>One HTTP handler shared by the Function app and the local host.</summary>
public interface IApiEndpoint
{
    Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>Lists the endpoints a host should map (the local host maps every registration).</summary>
public sealed record ApiEndpointRegistration(Type EndpointType)
{
    public ApiRouteAttribute Route => EndpointType.GetCustomAttributes(typeof(ApiRouteAttribute), false).OfType<ApiRouteAttribute>().SingleOrDefault()
        ?? throw new InvalidOperationException($"{EndpointType.Name} has no [ApiRoute].");
}
