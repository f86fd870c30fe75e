using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Infrastructure.Dashboard.Templates;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// GET /api/dashboard[?days=N] — the regime, its evidence and the tape as an HTML page (function key in
/// Azure, open locally). Everything from a source is HTML-encoded; scripts and styles come from
/// <see cref="DashboardAssetsEndpoint"/> so a strict Content-Security-Policy holds.
/// </summary>
public sealed partial class DashboardEndpoint(DashboardService dashboard, ILogger<DashboardEndpoint> logger) : IApiEndpoint
{
    public const string DaysParameter = "days";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var options = dashboard.Options;
        if (!QueryParameters.TryGetInt(request, DaysParameter, DashboardOptions.MinDays, options.MaxDays, out var days, out var problem))
        {
            return problem!;
        }

        DashboardModel model;
        try
        {
            model = await dashboard.LoadAsync(days ?? options.DefaultDays, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogStorageFailed(ex, ex.Status);
            return Problems.Unavailable("Storage could not be read; try again shortly (GET /api/health shows its state).");
        }

        var code = request.Query["code"];
        model = model with
        {
            AccessCode = code.Count == 1 && !string.IsNullOrEmpty(code[0]) ? code[0] : null,
            AssetBasePath = request.PathBase + "/api/" + ApiRoutes.DashboardAssets.RoutePrefix,
        };
        return new HtmlPageResult(await DashboardPage.RenderAsync(model, cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Dashboard: reading storage failed ({Status})")]
    private partial void LogStorageFailed(Exception exception, int status);
}

/// <summary>
/// GET /api/dashboard/assets/{name} — the page's script and stylesheet and the vendored chart library
/// (static, no data: anonymous, so the page's key is never needed in asset URLs). Only embedded names are served.
/// </summary>
public sealed class DashboardAssetsEndpoint : IApiEndpoint
{
    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var name = request.RouteValues.TryGetValue("name", out var value) && value is string routeName
            ? routeName
            : LastSegment(request.Path);
        var asset = DashboardAssets.Find(name);
        return Task.FromResult(asset is null
            ? Problems.NotFound("No such dashboard asset.")
            : (IResult)new AssetResult(asset));
    }

    private static string? LastSegment(PathString path)
    {
        var text = path.Value;
        if (string.IsNullOrEmpty(text)) return null;
        var slash = text.LastIndexOf('/');
        return Uri.UnescapeDataString(text[(slash + 1)..]);
    }
}
