using System.Net;
using Microsoft.AspNetCore.Http;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// Browser-borne requests the local host refuses (403). It listens on localhost only, so a request naming another host
/// came through DNS rebinding (a page on evil.example whose name now resolves to 127.0.0.1). And a write sent by a page of
/// another origin is cross-site request forgery: a form post or a no-cors fetch to http://localhost:7071 needs no CORS
/// preflight, and without <c>Tapewatch__Local__ApiKey</c> the routes need no key. The CLI, curl and the dashboard (same
/// origin, reads only) are not affected.
/// </summary>
internal static class LocalRequestGuard
{
    public static IResult? Refusal(HttpRequest request)
    {
        if (!IsLoopbackName(request.Host.Host))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", "This local host answers requests to localhost, 127.0.0.1 or [::1] only.");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && IsCrossSite(request))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Forbidden", "A page of another site cannot change data here (cross-site request refused).");
        }

        return null;
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsCrossSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase)) return true;

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false; // not sent by a page of another origin (CLI, curl, scripts)
        return !Uri.TryCreate(origin, UriKind.Absolute, out var from) // includes "null" (sandboxed frames, file: pages)
            || !Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var self)
            || !string.Equals(from.GetLeftPart(UriPartial.Authority), self.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }
}
