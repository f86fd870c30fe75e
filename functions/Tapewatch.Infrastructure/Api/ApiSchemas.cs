using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Tapewatch.Infrastructure.Api;

/// <summary>
/// OpenAPI 3.0 schemas of the API's bodies, generated from their types with the API's own serializer settings
/// (<see cref="ApiJson.Options"/>), so the document shows what is written.
/// </summary>
public static class ApiSchemas
{
    /// <summary>
    /// The API's settings as they write: strict numbers (the web defaults also read numbers from strings, which is not what
    /// is written) and nullable annotations respected (a <c>string?</c> may be null, a <c>string</c> not).
    /// </summary>
    private static readonly JsonSerializerOptions Written = CreateWritten();

    /// <summary>
    /// The schema of <paramref name="type"/> as OpenAPI 3.0 has it, to be placed at <paramref name="location"/> in the document
    /// (a JSON pointer such as <c>#/components/schemas/RegimeEvaluation</c>): a type met twice refers to its first place.
    /// </summary>
    public static JsonObject For(Type type, string location)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(Written, type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        ToOpenApi30(schema, location);
        return (JsonObject)schema;
    }

    /// <summary>
    /// JSON Schema 2020-12 writes "may be null" as a type list (<c>["string", "null"]</c>) and a null in an enum; OpenAPI 3.0
    /// has one type and <c>nullable: true</c>. A member that may be null is left out rather than written as null
    /// (<see cref="ApiJson.Options"/> ignores nulls when writing), so it is optional and never null; a dictionary's values and
    /// an array's items are written as they are. The exporter's references are relative to the type's schema.
    /// </summary>
    private static void ToOpenApi30(JsonNode node, string location)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array.Where(i => i is not null)) ToOpenApi30(item!, location);
            return;
        }

        if (node is not JsonObject schema) return;
        if (schema["type"] is JsonArray types)
        {
            var named = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            schema.Remove("type");
            if (named.Count == 1) schema["type"] = named[0];
            if (named.Count < types.Count) schema["nullable"] = true;
        }

        if (schema["enum"] is JsonArray values)
        {
            if (values.Any(v => v is null))
            {
                schema["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
                schema["nullable"] = true;
            }

            if (!schema.ContainsKey("type") && values.All(v => v is null || v.GetValueKind() == JsonValueKind.String)) schema["type"] = "string";
        }

        if (schema["$ref"] is JsonValue reference && reference.GetValue<string>() is ['#', '/', ..] pointer)
        {
            schema["$ref"] = location + pointer[1..];
        }

        if (schema["properties"] is JsonObject properties)
        {
            var required = schema["required"] as JsonArray;
            foreach (var (name, member) in properties)
            {
                if (member is not JsonObject memberSchema) continue;
                ToOpenApi30(memberSchema, location);
                if (!memberSchema.Remove("nullable")) continue;
                memberSchema.Remove("default");
                var at = required?.Select(r => r!.GetValue<string>()).ToList().IndexOf(name) ?? -1;
                if (at >= 0) required!.RemoveAt(at);
            }

            if (required is { Count: 0 }) schema.Remove("required");
        }

        foreach (var key in new[] { "items", "additionalProperties" })
        {
            if (schema[key] is JsonObject child) ToOpenApi30(child, location);
        }
    }

    private static JsonSerializerOptions CreateWritten()
    {
        var options = new JsonSerializerOptions(ApiJson.Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
