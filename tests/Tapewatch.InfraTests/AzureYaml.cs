using System.Text.RegularExpressions;

namespace Tapewatch.InfraTests;

/// <summary>The few facts the tests need from azure.yaml (a deliberately small reader: one service, two-space indents).</summary>
public sealed partial record AzureYamlService(string Name, string Project, string Language, string Host)
{
    public static IReadOnlyList<AzureYamlService> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var services = new List<AzureYamlService>();
        var inServices = false;
        string? name = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);

        void Flush()
        {
            if (name is not null)
            {
                services.Add(new AzureYamlService(name, fields.GetValueOrDefault("project", ""), fields.GetValueOrDefault("language", ""), fields.GetValueOrDefault("host", "")));
            }

            name = null;
            fields.Clear();
        }

        foreach (var raw in lines)
        {
            var line = raw.Split('#')[0].TrimEnd();
            if (line.Length == 0) continue;
            if (!line.StartsWith(' '))
            {
                Flush();
                inServices = line == "services:";
                continue;
            }

            if (!inServices) continue;
            var service = ServiceLine().Match(line);
            if (service.Success)
            {
                Flush();
                name = service.Groups[1].Value;
                continue;
            }

            var field = FieldLine().Match(line);
            if (field.Success && name is not null)
            {
                fields[field.Groups[1].Value] = field.Groups[2].Value.Trim().Trim('"', '\'');
            }
        }

        Flush();
        return services;
    }

    [GeneratedRegex(@"^  ([A-Za-z0-9_-]+):\s*$")]
    private static partial Regex ServiceLine();

    [GeneratedRegex(@"^    ([A-Za-z]+):\s*(.+)$")]
    private static partial Regex FieldLine();
}
