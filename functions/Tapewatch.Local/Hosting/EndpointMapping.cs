using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Local.Hosting;

internal static class EndpointMapping
{
    /// <summary>
    /// Maps every registered endpoint (the route table, <see cref="ApiRoutes"/>) under /api, as the Function app's triggers do. Refuses DNS-rebinding and cross-site
    /// writes (<see cref="LocalRequestGuard"/>), then asks for the key on every non-anonymous route when one is configured
    /// (one key for both the Function and the Admin level).
    /// </summary>
    public static WebApplication MapTapewatchEndpoints(this WebApplication app, string? apiKey)
    {
        foreach (var registration in app.Services.GetServices<ApiEndpointRegistration>())
        {
            var route = registration.Route;
            var endpointType = registration.EndpointType;
            app.MapMethods("/api/" + route.Route, [route.Method], async (HttpContext context) =>
            {
                if (LocalRequestGuard.Refusal(context.Request) is { } refused) return refused;
                if (route.Access != ApiAccess.Anonymous && !string.IsNullOrEmpty(apiKey) && !HasKey(context.Request, apiKey))
                {
                    return Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized", "This endpoint needs the key (x-functions-key header or ?code=).");
                }

                var endpoint = (IApiEndpoint)context.RequestServices.GetRequiredService(endpointType);
                return await endpoint.HandleAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            });
        }

        return app;
    }

    private static bool HasKey(HttpRequest request, string apiKey)
    {
        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return given is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(apiKey));
    }
}
