using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Api;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Foundation;

/// <summary>
/// The OpenAPI document declares what each endpoint answers, with schemas generated from the response types; real bodies are
/// checked against it in the integration tests (EvaluatorPipelineTests).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly JsonObject Document = OpenApiEndpoint.Build(ApiRoutes.All.Select(r => new ApiEndpointRegistration(r)));

    [Fact]
    public void Every_route_declares_what_it_answers_on_success_with_a_named_type_for_JSON()
    {
        Assert.All(ApiRoutes.All, route =>
        {
            Assert.Contains(route.Responses, r => r.Status is >= 200 and < 300);
            foreach (var body in route.Responses.Select(r => r.Body).Append(route.RequestBody).OfType<Type>())
            {
                Assert.NotEqual(typeof(object), body);
                Assert.False(body.IsDefined(typeof(CompilerGeneratedAttribute), false), $"{route.Method} /api/{route.Route}: {body} is anonymous");
                Assert.False(body.IsGenericType, $"{route.Method} /api/{route.Route}: {body} is not a named DTO");
            }
        });
    }

    [Theory]
    [InlineData("POST", "flows/backfill", "200,400,401,413,415,422,502,503")]
    [InlineData("POST", "fund-flows/weekly", "200,201,400,401,413,415,503")]
    [InlineData("POST", "evaluations", "202,400,401,413,415")]
    [InlineData("POST", "silences", "201,400,401,413")]
    [InlineData("DELETE", "silences/{id}", "204,400,401,404")]
    [InlineData("GET", "health", "200,400,503")]
    [InlineData("GET", "regime", "200,400,401,404")]
    public void Each_operation_lists_the_statuses_it_answers_in_order(string method, string route, string statuses)
    {
        var responses = Document["paths"]!["/api/" + route]![method.ToLowerInvariant()]!["responses"]!.AsObject();

        Assert.Equal(statuses, string.Join(',', responses.Select(r => r.Key)));
    }

    [Fact]
    public void The_document_is_OpenAPI_3_0_and_every_reference_resolves()
    {
        var problems = new List<string>();
        Walk(Document, "#", problems);

        Assert.Empty(problems);
        Assert.Equal("3.0.3", Document["openapi"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/FlowsResponse", OpenApiConformance.ResponseSchema(Document, "GET", "flows", 200)["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void A_member_that_may_be_null_is_optional_because_nulls_are_not_written()
    {
        var session = Document["components"]!["schemas"]!["FlowsResponse"]!["properties"]!["sessions"]!["items"]!;

        var required = session["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Contains("revision", required);
        Assert.DoesNotContain("firstSeenUtc", required);
        Assert.Null(session["properties"]!["firstSeenUtc"]!["nullable"]);
        Assert.True(session["properties"]!["funds"]!["additionalProperties"]!["nullable"]!.GetValue<bool>()); // "IBIT": null is written
        Assert.Equal(["Provisional", "Final"], session["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void A_body_serialised_by_the_API_conforms_to_its_schema()
    {
        var response = new FlowsResponse(
            new DateOnly(2025, 11, 3),
            new DateOnly(2025, 11, 7),
            "USD millions",
            "Farside",
            [
                new FlowsSession(new DateOnly(2025, 11, 3), -186.5m, SessionStatus.Final, "farside", new Dictionary<string, decimal?> { ["IBIT"] = null, ["FBTC"] = -12.5m }, [], 2, null, DateTimeOffset.UnixEpoch),
            ]);

        var body = JsonSerializer.SerializeToNode(response, ApiJson.Options);

        Assert.Empty(OpenApiConformance.Check(Document, OpenApiConformance.ResponseSchema(Document, "GET", "flows", 200), body));
    }

    [Theory]
    [InlineData("""{"from":"2025-11-03","to":"2025-11-07","unit":"u","attribution":"a","sessions":[],"extra":1}""", "$.extra: a member the schema does not declare")]
    [InlineData("""{"from":"2025-11-03","to":"2025-11-07","unit":"u","attribution":"a"}""", "$: the required member 'sessions' is missing")]
    [InlineData("""{"from":"3 Nov 2025","to":"2025-11-07","unit":"u","attribution":"a","sessions":[]}""", "$.from: '3 Nov 2025' is not a date")]
    [InlineData("""{"from":"2025-11-03","to":"2025-11-07","unit":null,"attribution":"a","sessions":[]}""", "$.unit: null, and the schema does not allow null")]
    [InlineData("""{"from":"2025-11-03","to":"2025-11-07","unit":"u","attribution":"a","sessions":[{"date":"2025-11-03","totalUsdM":"1","status":"Final","source":"s","funds":{},"pendingFunds":[],"revision":1}]}""", "$.sessions[0].totalUsdM: expected a number, got String")]
    [InlineData("""{"from":"2025-11-03","to":"2025-11-07","unit":"u","attribution":"a","sessions":[{"date":"2025-11-03","totalUsdM":1,"status":"Done","source":"s","funds":{},"pendingFunds":[],"revision":1.5}]}""", "$.sessions[0].status: \"Done\" is not one of [\"Provisional\",\"Final\"]|$.sessions[0].revision: expected an integer, got 1.5")]
    public void A_body_that_differs_from_its_schema_is_caught(string json, string expected)
    {
        var problems = OpenApiConformance.Check(Document, OpenApiConformance.ResponseSchema(Document, "GET", "flows", 200), JsonNode.Parse(json));

        Assert.Equal(expected.Split('|'), problems);
    }

    private static void Walk(JsonNode? node, string path, List<string> problems)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["type"] is JsonArray) problems.Add($"{path}: a type list (OpenAPI 3.0 has one type and nullable)");
                if (o["$ref"] is JsonValue r && !Resolves(r.GetValue<string>())) problems.Add($"{path}: '{r}' does not resolve");
                foreach (var (key, child) in o) Walk(child, $"{path}/{key}", problems);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}/{i}", problems);
                break;
        }
    }

    private static bool Resolves(string reference)
    {
        JsonNode? node = Document;
        foreach (var segment in reference.TrimStart('#', '/').Split('/')) node = node?[segment];
        return node is not null;
    }
}
