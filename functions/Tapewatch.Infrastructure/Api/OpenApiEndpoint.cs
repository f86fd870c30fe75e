using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Rules;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/openapi.json — an OpenAPI 3.0 document describing every registered endpoint.</summary>
[ApiRoute("GET", "openapi.json", ApiAccess.Function)]
public sealed class OpenApiEndpoint(IEnumerable<ApiEndpointRegistration> registrations) : IApiEndpoint
{
    private static readonly string[] RangeRoutes = ["regime/history", "flows", "fund-flows/weekly", "derivatives"];

    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["GET health"] = "Storage reachability, latest ingestion runs and evaluation queue depths (no key).",
        ["GET regime"] = "The current evaluation: regime, one-sentence headline, each scenario's status and progress with its conditions (observed, threshold, met true/false/null = unknown, as-of, source), signals and data freshness.",
        ["GET regime/history"] = "One compact row per evaluated session (regime, headline, scenario statuses, signals). Default: the last 90 days; at most 800 days.",
        ["GET flows"] = "US spot BTC ETF sessions (US$ millions) with per-fund detail (null = not reported) and status (Provisional/Final). Default: the last 30 days; at most 800 days.",
        ["GET fund-flows/weekly"] = "CoinShares weekly fund flows by week-ending Friday (whole USD). Default: the last 182 days; at most 1,200 days.",
        ["GET derivatives"] = "Daily derivatives readings: 3m annualised basis, funding (annualised %), offshore and CME open interest. Default: the last 30 days; at most 800 days.",
        ["POST evaluations"] = "Enqueue an evaluation (admin key). Optional body {\"changedFrom\":\"yyyy-MM-dd\"} re-evaluates every session from that date. Answers 202.",
        ["GET openapi.json"] = "This document.",
    };

    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryRejectUnknown(request, [], out var problem)) return Task.FromResult(problem!);
        return Task.FromResult(Results.Text(Build(registrations).ToJsonString(), "application/json; charset=utf-8"));
    }

    public static JsonObject Build(IEnumerable<ApiEndpointRegistration> registrations)
    {
        var paths = new JsonObject();
        foreach (var route in registrations.Select(r => r.Route).OrderBy(r => r.Route, StringComparer.Ordinal))
        {
            var path = "/api/" + route.Route;
            if (paths[path] is not JsonObject item)
            {
                item = new JsonObject();
                paths[path] = item;
            }

            var method = route.Method.ToLowerInvariant();
            var key = $"{route.Method.ToUpperInvariant()} {route.Route}";
            var operation = new JsonObject
            {
                ["operationId"] = OperationId(route.Method, route.Route),
                ["summary"] = Summaries.GetValueOrDefault(key, $"{route.Method.ToUpperInvariant()} /api/{route.Route}"),
                ["security"] = route.Access switch
                {
                    ApiAccess.Anonymous => new JsonArray(),
                    ApiAccess.Admin => new JsonArray(new JsonObject { ["adminKey"] = new JsonArray() }),
                    _ => new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() }),
                },
                ["responses"] = Responses(route),
            };
            if (method == "get" && RangeRoutes.Contains(route.Route))
            {
                operation["parameters"] = new JsonArray(DateParameter("from", "First date (yyyy-MM-dd, New York)."), DateParameter("to", "Last date (yyyy-MM-dd, New York); default today."));
            }

            if (key == "POST evaluations")
            {
                operation["requestBody"] = new JsonObject
                {
                    ["required"] = false,
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject
                        {
                            ["schema"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["additionalProperties"] = false,
                                ["properties"] = new JsonObject { ["changedFrom"] = new JsonObject { ["type"] = "string", ["format"] = "date" } },
                            },
                        },
                    },
                };
            }

            item[method] = operation;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Tapewatch API",
                ["version"] = "1.0",
                ["description"] = "The US spot Bitcoin ETF tape, CoinShares weekly flows and the derivatives state, turned into a regime. JSON is camelCase; every error is application/problem+json (RFC 7807) with a 'parameter' member naming the bad input. Unknown query parameters are rejected.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
                    ["adminKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key", ["description"] = "The host's master (admin) key." },
                },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["parameter"] = new JsonObject { ["type"] = "string" },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Responses(ApiRouteAttribute route)
    {
        var problem = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } };
        var ok = route.Method.Equals("POST", StringComparison.OrdinalIgnoreCase) ? "202" : "200";
        var responses = new JsonObject
        {
            [ok] = new JsonObject { ["description"] = ok == "202" ? "Accepted" : "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject() } },
            ["400"] = new JsonObject { ["description"] = "Bad request (names the parameter)", ["content"] = problem.DeepClone() },
        };
        if (route.Route == "regime") responses["404"] = new JsonObject { ["description"] = "No evaluation stored yet", ["content"] = problem.DeepClone() };
        if (route.Access != ApiAccess.Anonymous) responses["401"] = new JsonObject { ["description"] = "Missing or wrong key" };
        return responses;
    }

    private static JsonObject DateParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "date" },
    };

    private static string OperationId(string method, string route) =>
        method.ToLowerInvariant() + string.Concat(route.Split('/', '-', '.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
