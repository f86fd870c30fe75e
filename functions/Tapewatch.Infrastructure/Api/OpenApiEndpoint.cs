using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Rules;

namespace Tapewatch.Infrastructure.Api;

/// <summary>GET /api/openapi.json — an OpenAPI 3.0 document of every registered endpoint, generated from its <see cref="ApiRoutes"/> entry.</summary>
public sealed class OpenApiEndpoint(IEnumerable<ApiEndpointRegistration> registrations) : IApiEndpoint
{
    public Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ApiQuery.TryRejectUnknown(request, [], out var problem)) return Task.FromResult(problem!);
        return Task.FromResult(Results.Text(Build(registrations).ToJsonString(), "application/json; charset=utf-8"));
    }

    public static JsonObject Build(IEnumerable<ApiEndpointRegistration> registrations)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject { ["Problem"] = ProblemSchema() };
        foreach (var route in registrations.Select(r => r.Route).OrderBy(r => r.Route, StringComparer.Ordinal))
        {
            var path = "/api/" + route.Route;
            if (paths[path] is not JsonObject item)
            {
                item = new JsonObject();
                paths[path] = item;
            }

            var method = route.Method.ToLowerInvariant();
            var operation = new JsonObject
            {
                ["operationId"] = OperationId(route.Method, route.Route),
                ["summary"] = route.Summary ?? $"{route.Method.ToUpperInvariant()} /api/{route.Route}",
                ["security"] = route.Access switch
                {
                    ApiAccess.Anonymous => new JsonArray(),
                    ApiAccess.Admin => new JsonArray(new JsonObject { ["adminKey"] = new JsonArray() }),
                    _ => new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() }),
                },
                ["responses"] = Responses(route, schemas),
            };
            if (route.Query.Count > 0)
            {
                var parameters = new JsonArray();
                foreach (var parameter in route.Query) parameters.Add(QueryParameter(parameter));
                operation["parameters"] = parameters;
            }

            if (route.RequestBody is { } body)
            {
                operation["requestBody"] = new JsonObject
                {
                    ["required"] = true,
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(body, schemas) } },
                };
            }
            else if (route.JsonBody.Count > 0)
            {
                var properties = new JsonObject();
                foreach (var member in route.JsonBody)
                {
                    var schema = Schema(member);
                    if (member.Description is { } description) schema["description"] = description;
                    properties[member.Name] = schema;
                }

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
                                ["properties"] = properties,
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
                ["schemas"] = schemas,
            },
        };
    }

    /// <summary>The declared responses (<see cref="ApiRoute.Responses"/>), and the errors every endpoint of its kind has.</summary>
    private static JsonObject Responses(ApiRoute route, JsonObject schemas)
    {
        var all = new List<ApiResponse>(route.Responses) { ApiResponse.Problem(400, "Bad request (names the parameter)") };
        if (route.NotFound is { } notFound) all.Add(ApiResponse.Problem(404, notFound));
        if (route.Access != ApiAccess.Anonymous) all.Add(ApiResponse.Text(401, "Missing or wrong key"));
        var responses = new JsonObject();
        foreach (var response in all.OrderBy(r => r.Status)) responses[Status(response.Status)] = Response(response, schemas);
        return responses;
    }

    private static JsonObject Response(ApiResponse response, JsonObject schemas)
    {
        var json = new JsonObject { ["description"] = response.Description };
        if (response.MediaTypes.Count == 0) return json;
        var content = new JsonObject();
        foreach (var mediaType in response.MediaTypes)
        {
            content[mediaType] = mediaType == Problems.ContentType
                ? new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } }
                : response.Body is { } body ? new JsonObject { ["schema"] = Reference(body, schemas) } : new JsonObject();
        }

        json["content"] = content;
        return json;
    }

    /// <summary>A reference to the schema of <paramref name="type"/>, added to <paramref name="schemas"/> on first use.</summary>
    private static JsonObject Reference(Type type, JsonObject schemas)
    {
        var location = "#/components/schemas/" + type.Name;
        if (!schemas.ContainsKey(type.Name)) schemas[type.Name] = ApiSchemas.For(type, location);
        return new JsonObject { ["$ref"] = location };
    }

    private static string Status(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject ProblemSchema() => new()
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
    };

    private static JsonObject QueryParameter(ApiParameter parameter)
    {
        var json = new JsonObject { ["name"] = parameter.Name, ["in"] = "query", ["required"] = false };
        if (parameter.Description is { } description) json["description"] = description;
        json["schema"] = Schema(parameter);
        return json;
    }

    private static JsonObject Schema(ApiParameter parameter)
    {
        var schema = new JsonObject { ["type"] = parameter.Type };
        if (parameter.Format is { } format) schema["format"] = format;
        return schema;
    }

    private static string OperationId(string method, string route) =>
        method.ToLowerInvariant() + string.Concat(route.Split('/', '-', '.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
