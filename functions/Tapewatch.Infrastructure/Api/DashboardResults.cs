using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tapewatch.Infrastructure.Dashboard;

namespace Tapewatch.Infrastructure.Api;

/// <summary>Security headers shared by the page and its assets.</summary>
public static class DashboardHeaders
{
    /// <summary>No inline script or style, nothing from another origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void ApplyCommon(HttpResponse response)
    {
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }
}

/// <summary>The dashboard page: HTML with a strict CSP, never cached (it carries data and may carry a key in its URL).</summary>
public sealed class HtmlPageResult(string html) : IResult
{
    public string Html { get; } = html;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        DashboardHeaders.ApplyCommon(response);
        response.Headers[HeaderNames.ContentSecurityPolicy] = DashboardHeaders.ContentSecurityPolicy;
        response.Headers[HeaderNames.XFrameOptions] = "DENY";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        var bytes = Encoding.UTF8.GetBytes(Html);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }
}

/// <summary>A static asset: long-lived cache (URLs carry the content hash), strong ETag, 304 on a match.</summary>
public sealed class AssetResult(DashboardAsset asset) : IResult
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    public DashboardAsset Asset { get; } = asset;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        DashboardHeaders.ApplyCommon(response);
        response.Headers[HeaderNames.CacheControl] = CacheControl;
        response.Headers[HeaderNames.ETag] = Asset.ETag;
        response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'";
        var ifNoneMatch = httpContext.Request.Headers[HeaderNames.IfNoneMatch].ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch.Contains(Asset.ETag, StringComparison.Ordinal) || ifNoneMatch.Trim() == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Asset.ContentType;
        response.ContentLength = Asset.Content.Length;
        return HttpMethods.IsHead(httpContext.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(Asset.Content, httpContext.RequestAborted).AsTask();
    }
}
