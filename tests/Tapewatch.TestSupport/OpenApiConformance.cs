using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tapewatch.TestSupport;

/// <summary>
/// Checks a JSON body against a schema of the API's OpenAPI 3.0 document: types, nullable, enum, required members, date
/// formats, and (stricter than the schema language) no member the schema does not declare, so a body that grew a member the
/// document does not show fails.
/// </summary>
public static class OpenApiConformance
{
    /// <summary>The differences, each with its JSON path; empty when the body conforms.</summary>
    public static IReadOnlyList<string> Check(JsonNode document, JsonNode schema, JsonNode? body)
    {
        var problems = new List<string>();
        Check(document, schema, body, "$", problems);
        return problems;
    }

    /// <summary>The schema of the <paramref name="status"/> JSON response of <paramref name="method"/> /api/<paramref name="route"/>.</summary>
    public static JsonNode ResponseSchema(JsonNode document, string method, string route, int status) =>
        document["paths"]?["/api/" + route]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"]
        ?? throw new InvalidOperationException($"{method} /api/{route} documents no JSON {status} response.");

    private static void Check(JsonNode document, JsonNode schema, JsonNode? value, string path, List<string> problems)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            Check(document, Resolve(document, reference.GetValue<string>()), value, path, problems);
            return;
        }

        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true) problems.Add($"{path}: null, and the schema does not allow null");
            return;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            problems.Add($"{path}: {value.ToJsonString()} is not one of {values.ToJsonString()}");
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        switch (type)
        {
            case "object":
                if (kind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: expected an object, got {kind}");
                    return;
                }

                CheckObject(document, schema, value.AsObject(), path, problems);
                return;
            case "array":
                if (kind != JsonValueKind.Array)
                {
                    problems.Add($"{path}: expected an array, got {kind}");
                    return;
                }

                var items = schema["items"] ?? throw new InvalidOperationException($"{path}: an array schema without items");
                var i = 0;
                foreach (var item in value.AsArray()) Check(document, items, item, $"{path}[{i++}]", problems);
                return;
            case "string":
                if (kind != JsonValueKind.String) problems.Add($"{path}: expected a string, got {kind}");
                else if (schema["format"]?.GetValue<string>() is { } format && !HasFormat(value.GetValue<string>(), format)) problems.Add($"{path}: '{value}' is not a {format}");
                return;
            case "integer":
                if (kind != JsonValueKind.Number || !long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) problems.Add($"{path}: expected an integer, got {value.ToJsonString()}");
                return;
            case "number":
                if (kind != JsonValueKind.Number) problems.Add($"{path}: expected a number, got {kind}");
                return;
            case "boolean":
                if (kind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: expected a boolean, got {kind}");
                return;
            case null:
                return; // any value (the enum, if any, was checked above)
            default:
                throw new InvalidOperationException($"{path}: unknown schema type '{type}'");
        }
    }

    private static void CheckObject(JsonNode document, JsonNode schema, JsonObject value, string path, List<string> problems)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = required!.GetValue<string>();
            if (!value.ContainsKey(name)) problems.Add($"{path}: the required member '{name}' is missing");
        }

        foreach (var (name, member) in value)
        {
            var memberPath = $"{path}.{name}";
            if (properties?[name] is { } memberSchema) Check(document, memberSchema, member, memberPath, problems);
            else if (schema["additionalProperties"] is JsonObject additional) Check(document, additional, member, memberPath, problems);
            else problems.Add($"{memberPath}: a member the schema does not declare");
        }
    }

    private static bool HasFormat(string text, string format) => format switch
    {
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.Ordinal),
        _ => true,
    };

    private static JsonNode Resolve(JsonNode document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidOperationException($"'{reference}' is not a reference into the document");
        var node = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"'{reference}' does not resolve (at '{segment}')");
        }

        return node;
    }
}
