using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tapewatch.Infrastructure.Storage;

/// <summary>
/// The JSON of documents kept in storage (evaluations, sent alert messages). Its own settings, not the API's: a change to
/// what the API returns must never change what is stored or how old rows are read back.
/// </summary>
public static class StoredJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
