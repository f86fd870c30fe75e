using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tapewatch.InfraTests;

/// <summary>Assertions on the compiled ARM JSON of every Bicep file.</summary>
public sealed partial class ArmTemplateTests(InfraFixture infra)
{
    [Fact]
    public async Task Compiled_templates_never_read_keys_or_build_connection_strings()
    {
        var build = await infra.BuildAsync();
        Assert.NotEmpty(build.Templates);

        foreach (var (path, json) in build.Templates)
        {
            foreach (var forbidden in new[] { "listKeys(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "listSecrets(", "AccountKey=", "SharedAccessKey", "DefaultEndpointsProtocol", "InstrumentationKey=" })
            {
                Assert.False(json.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"{path} contains {forbidden}");
            }
        }
    }

    /// <summary>Azure Verified Modules style: every parameter says Required./Optional. (and means it), every output is described.</summary>
    [Fact]
    public async Task Modules_describe_every_parameter_as_required_or_optional_and_every_output()
    {
        var build = await infra.BuildAsync();
        var checkedParameters = 0;
        foreach (var (path, _) in build.Templates)
        {
            using var template = build.Template(path);
            var root = template.RootElement;
            if (root.TryGetProperty("parameters", out var parameters))
            {
                foreach (var parameter in parameters.EnumerateObject())
                {
                    var description = Description(parameter.Value);
                    var optional = parameter.Value.TryGetProperty("defaultValue", out _) || (parameter.Value.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean());
                    var prefix = optional ? "Optional. " : "Required. ";
                    Assert.True(description.StartsWith(prefix, StringComparison.Ordinal), $"{path}: parameter {parameter.Name} should start with '{prefix}' but is '{description}'");
                    checkedParameters++;
                }
            }

            if (root.TryGetProperty("outputs", out var outputs))
            {
                foreach (var output in outputs.EnumerateObject())
                {
                    Assert.False(string.IsNullOrWhiteSpace(Description(output.Value)), $"{path}: output {output.Name} has no description");
                }
            }
        }

        Assert.True(checkedParameters > 40, $"only {checkedParameters} parameters checked");
    }

    [Fact]
    public async Task Main_template_targets_the_subscription_and_outputs_upper_snake_case_names()
    {
        var build = await infra.BuildAsync();
        using var main = build.Template("main.json");
        Assert.Contains("subscriptionDeploymentTemplate.json", main.RootElement.GetProperty("$schema").GetString(), StringComparison.Ordinal);

        var outputs = main.RootElement.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToList();
        Assert.All(outputs, name => Assert.Matches(UpperSnake(), name));
        Assert.Contains("AZURE_LOCATION", outputs);
        Assert.Contains("AZURE_KEY_VAULT_NAME", outputs);
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs);
    }

    [Fact]
    public async Task Main_parameters_file_feeds_every_required_parameter_and_only_known_ones()
    {
        var build = await infra.BuildAsync();
        using var main = build.Template("main.json");
        var declared = main.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraFixture.InfraDirectory, "main.parameters.json")));
        var supplied = file.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());

        Assert.All(supplied.Keys, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets unknown parameter {name}"));
        var required = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Key).ToList();
        Assert.Equal(["environmentName", "location"], required.Order(StringComparer.Ordinal));
        Assert.All(required, name => Assert.True(supplied.ContainsKey(name), $"main.parameters.json does not set required parameter {name}"));
        Assert.Equal("${AZURE_ENV_NAME}", supplied["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", supplied["location"]);
        Assert.StartsWith("${AZURE_PRINCIPAL_ID", supplied["principalId"], StringComparison.Ordinal);
    }

    private static string Description(JsonElement element) =>
        element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("description", out var description)
            ? description.GetString() ?? ""
            : "";

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();
}
