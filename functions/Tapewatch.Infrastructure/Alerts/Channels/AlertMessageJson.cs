using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tapewatch.Infrastructure.Alerts.Channels;

/// <summary>
/// The JSON of an alert message as integrators receive it (Service Bus body, outbox file): camelCase, enums as names, no
/// nulls. A contract of its own, kept apart from the HTTP API's settings.
/// </summary>
public static class AlertMessageJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions(indented: false);

    public static readonly JsonSerializerOptions Indented = CreateOptions(indented: true);

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
