using System.Text.Json;

namespace Tapewatch.Tests.Flows;

internal static class FlowsFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Flows", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>A JSON text re-written compactly with its numbers exactly as written (so 0.0 stays 0.0).</summary>
    public static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }
}
