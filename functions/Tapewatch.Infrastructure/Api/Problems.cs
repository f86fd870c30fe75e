using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Tapewatch.Infrastructure.Api;

/// <summary>RFC 7807 problem+json responses; every error the API returns goes through here.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static IResult BadRequest(string parameter, string detail) => Create(
        StatusCodes.Status400BadRequest, "Invalid request parameter", detail, parameter);

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult PayloadTooLarge(long limitBytes) => Create(
        StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The request body exceeds {limitBytes} bytes.", "body");

    public static IResult Unavailable(string detail) => Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);

    public static IResult Create(int status, string title, string detail, string? parameter = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        if (parameter is not null) problem.Extensions["parameter"] = parameter;
        return Results.Json(problem, Json, ContentType, status);
    }

    /// <summary>JSON success response with the API's serializer settings (camelCase).</summary>
    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, ApiJson.Options);
}

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}
