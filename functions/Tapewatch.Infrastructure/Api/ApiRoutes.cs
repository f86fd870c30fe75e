using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Health;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// The route table: every HTTP endpoint declared once. A Function trigger takes <c>Method</c>, <c>Route</c> and <c>Access</c>
/// from its entry as constants; <see cref="ApiServiceCollectionExtensions.AddTapewatchApi"/> registers <see cref="All"/>, which
/// the local host maps; the OpenAPI document is generated from the entries (summary, query parameters, body, 404).
/// </summary>
public static class ApiRoutes
{
    private const string Get = "GET";
    private const string Post = "POST";
    private const string Delete = "DELETE";

    /// <summary>In the order the local host maps them and OpenAPI lists the methods of one path.</summary>
    public static IReadOnlyList<ApiRoute> All =>
    [
        Health.Entry, Dashboard.Entry, DashboardAssets.Entry, Regime.Entry, RegimeHistory.Entry, Flows.Entry, WeeklyFundFlowsGet.Entry,
        DerivativesGet.Entry, EvaluationsPost.Entry, OpenApi.Entry, EtfFlowsBackfill.Entry, WeeklyFlowsPost.Entry, SilenceCreate.Entry,
        SilenceList.Entry, SilenceDelete.Entry,
    ];

    public static class Health
    {
        public const string Method = Get;
        public const string Route = "health";
        public const ApiAccess Access = ApiAccess.Anonymous;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(HealthEndpoint))
        {
            Responses =
            [
                ApiResponse.Json<HealthReport>(200, "Storage is reachable"),
                ApiResponse.Json<HealthReport>(503, "Storage is unreachable (status \"unavailable\")"),
            ],
            Summary = "Storage reachability, latest ingestion runs and evaluation queue depths (no key).",
        };
    }

    public static class Dashboard
    {
        public const string Method = Get;
        public const string Route = "dashboard";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(DashboardEndpoint))
        {
            Summary = "The dashboard: the regime at a glance, with charts (an HTML page).",
            Responses = [ApiResponse.Text(200, "The page", "text/html"), ApiResponse.Problem(503, "Storage could not be read")],
        };
    }

    public static class DashboardAssets
    {
        public const string Method = Get;
        public const string RoutePrefix = "dashboard/assets/";
        public const string Route = RoutePrefix + "{name}";
        public const ApiAccess Access = ApiAccess.Anonymous;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(DashboardAssetsEndpoint))
        {
            Summary = "The dashboard's script, stylesheet and chart library (no key).",
            Responses = [ApiResponse.Text(200, "The file (cached; 304 when unchanged)", "application/javascript", "text/css")],
            NotFound = "No such asset",
        };
    }

    public static class Regime
    {
        public const string Method = Get;
        public const string Route = "regime";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(RegimeEndpoint))
        {
            Responses = [ApiResponse.Json<RegimeEvaluation>(200, "The current evaluation")],
            Summary = "The current evaluation: regime, one-sentence headline, each scenario's status and progress with its conditions (observed, threshold, met true/false/null = unknown, as-of, source), signals and data freshness.",
            NotFound = "No evaluation stored yet",
        };
    }

    public static class RegimeHistory
    {
        public const string Method = Get;
        public const string Route = "regime/history";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(RegimeHistoryEndpoint))
        {
            Responses = [ApiResponse.Json<RegimeHistoryResponse>(200, "One row per evaluated session, oldest first")],
            Summary = "One compact row per evaluated session (regime, headline, scenario statuses, signals). Default: the last 90 days; at most 800 days.",
            Query = ApiParameter.DateRange,
        };
    }

    public static class Flows
    {
        public const string Method = Get;
        public const string Route = "flows";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(FlowsEndpoint))
        {
            Responses = [ApiResponse.Json<FlowsResponse>(200, "The sessions in the range")],
            Summary = "US spot BTC ETF sessions (US$ millions) with per-fund detail (null = not reported) and status (Provisional/Final). Default: the last 30 days; at most 800 days.",
            Query = ApiParameter.DateRange,
        };
    }

    public static class WeeklyFundFlowsGet
    {
        public const string Method = Get;
        public const string Route = "fund-flows/weekly";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(WeeklyFundFlowsEndpoint))
        {
            Responses = [ApiResponse.Json<WeeklyFundFlowsResponse>(200, "The weeks in the range")],
            Summary = "CoinShares weekly fund flows by week-ending Friday (whole USD). Default: the last 182 days; at most 1,200 days.",
            Query = ApiParameter.DateRange,
        };
    }

    public static class DerivativesGet
    {
        public const string Method = Get;
        public const string Route = "derivatives";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(DerivativesEndpoint))
        {
            Responses = [ApiResponse.Json<DerivativesResponse>(200, "The daily readings in the range")],
            Summary = "Daily derivatives readings: 3m annualised basis, funding (annualised %), offshore and CME open interest. Default: the last 30 days; at most 800 days.",
            Query = ApiParameter.DateRange,
        };
    }

    public static class EvaluationsPost
    {
        public const string Method = Post;
        public const string Route = "evaluations";
        public const ApiAccess Access = ApiAccess.Admin;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(EvaluationsEndpoint))
        {
            Responses =
            [
                ApiResponse.Json<EvaluationQueuedResponse>(202, "Queued"),
                ApiResponse.Problem(413, "The body is too large"),
                ApiResponse.Problem(415, "The body is not JSON"),
            ],
            Summary = "Enqueue an evaluation (admin key). Optional body {\"changedFrom\":\"yyyy-MM-dd\"} re-evaluates every session from that date. Answers 202.",
            JsonBody = [ApiParameter.Date("changedFrom")],
        };
    }

    public static class OpenApi
    {
        public const string Method = Get;
        public const string Route = "openapi.json";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(OpenApiEndpoint))
        {
            Summary = "This document.",
            Responses = [ApiResponse.Text(200, "The OpenAPI 3.0 document", "application/json")],
        };
    }

    public static class EtfFlowsBackfill
    {
        public const string Method = Post;
        public const string Route = "flows/backfill";
        public const ApiAccess Access = ApiAccess.Admin;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(EtfFlowsBackfillEndpoint))
        {
            Summary = "Backfill ETF sessions (admin key): ?from&to from the sources, or upload a flows CSV (text/csv) or a saved Farside page (text/html).",
            Responses =
            [
                ApiResponse.Json<EtfFlowsRunSummary>(200, "The run: sessions inserted, updated and unchanged, and each source's attempt"),
                ApiResponse.Problem(413, "The upload is too large"),
                ApiResponse.Problem(415, "The upload is neither a CSV nor an HTML page"),
                ApiResponse.Problem(422, "The upload could not be read"),
                ApiResponse.Problem(502, "Every source failed"),
                ApiResponse.Problem(503, "Storage failed"),
            ],
        };
    }

    public static class WeeklyFlowsPost
    {
        public const string Method = Post;
        public const string Route = "fund-flows/weekly";
        public const ApiAccess Access = ApiAccess.Admin;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(WeeklyFlowsEndpoint))
        {
            Summary = "Store one CoinShares week by hand (admin key), as the feed would: a revision when it changes, an evaluation only then.",
            Responses =
            [
                ApiResponse.Json<WeeklyFlowStoredResponse>(201, "A new week"),
                ApiResponse.Json<WeeklyFlowStoredResponse>(200, "A stored week, updated or unchanged"),
                ApiResponse.Problem(413, "The body is too large"),
                ApiResponse.Problem(415, "The body is not JSON"),
                ApiResponse.Problem(503, "Storage is unavailable; nothing was stored"),
            ],
        };
    }

    public static class SilenceCreate
    {
        public const string Method = Post;
        public const string Route = "silences";
        public const ApiAccess Access = ApiAccess.Admin;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(SilenceCreateEndpoint))
        {
            Summary = "Silence alerts that match (admin key).",
            RequestBody = typeof(SilenceRequest),
            Responses = [ApiResponse.Json<SilenceView>(201, "The silence"), ApiResponse.Problem(413, "The body is too large")],
        };
    }

    public static class SilenceList
    {
        public const string Method = Get;
        public const string Route = "silences";
        public const ApiAccess Access = ApiAccess.Function;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(SilenceListEndpoint))
        {
            Summary = "Every silence with its status, latest end first.",
            Query = [new ApiParameter("status", "string", Description: "Only the silences with this status: active, expired or pending.")],
            Responses = [ApiResponse.Json<SilenceListResponse>(200, "The silences")],
        };
    }

    public static class SilenceDelete
    {
        public const string Method = Delete;
        public const string Route = "silences/{id}";
        public const ApiAccess Access = ApiAccess.Admin;

        public static readonly ApiRoute Entry = new(Method, Route, Access, typeof(SilenceDeleteEndpoint))
        {
            Summary = "Remove a silence (admin key).",
            Responses = [ApiResponse.Text(204, "Removed")],
            NotFound = "No such silence",
        };
    }
}

/// <summary>One endpoint as <see cref="ApiRoutes"/> declares it: what the hosts map and the OpenAPI document describes.</summary>
/// <param name="Method">Upper case, e.g. "GET".</param>
/// <param name="Route">Below /api, e.g. "health" or "regime/history".</param>
/// <param name="Endpoint">The <see cref="IApiEndpoint"/> that handles it.</param>
public sealed record ApiRoute(string Method, string Route, ApiAccess Access, Type Endpoint)
{
    /// <summary>The OpenAPI summary; without one the operation is described by its method and path.</summary>
    public string? Summary { get; init; }

    public IReadOnlyList<ApiParameter> Query { get; init; } = [];

    /// <summary>The members of an optional JSON object body (none: no body is documented).</summary>
    public IReadOnlyList<ApiParameter> JsonBody { get; init; } = [];

    /// <summary>A required JSON body of this type (its schema is generated); instead of <see cref="JsonBody"/>.</summary>
    public Type? RequestBody { get; init; }

    /// <summary>When the endpoint answers 404 (documented only when set).</summary>
    public string? NotFound { get; init; }

    /// <summary>What it answers on success, and the errors it has beyond 400, 401 and <see cref="NotFound"/>.</summary>
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];
}

/// <summary>One response of an endpoint: its status and, for a JSON body, the type serialised (its schema is generated).</summary>
/// <param name="MediaTypes">Empty: no body.</param>
public sealed record ApiResponse(int Status, string Description, Type? Body, IReadOnlyList<string> MediaTypes)
{
    public static ApiResponse Json<T>(int status, string description) => new(status, description, typeof(T), ["application/json"]);

    /// <summary>An RFC 7807 problem (<see cref="Problems"/>).</summary>
    public static ApiResponse Problem(int status, string description) => new(status, description, null, [Problems.ContentType]);

    public static ApiResponse Text(int status, string description, params string[] mediaTypes) => new(status, description, null, mediaTypes);
}

/// <summary>A query parameter or body member as the OpenAPI document shows it: a JSON schema type and format.</summary>
public sealed record ApiParameter(string Name, string Type, string? Format = null, string? Description = null)
{
    /// <summary>?from&amp;to of the read endpoints (<see cref="ApiQuery.TryGetRange"/>).</summary>
    public static IReadOnlyList<ApiParameter> DateRange { get; } =
    [
        Date("from", "First date (yyyy-MM-dd, New York)."),
        Date("to", "Last date (yyyy-MM-dd, New York); default today."),
    ];

    public static ApiParameter Date(string name, string? description = null) => new(name, "string", "date", description);
}
