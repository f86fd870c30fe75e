using System.Text.Json;

namespace Tapewatch.InfraTests;

public sealed class BicepLintTests(InfraFixture infra)
{
    [Fact]
    public async Task Every_bicep_file_lints_with_zero_errors_and_zero_warnings()
    {
        Assert.NotEmpty(InfraFixture.BicepFiles);
        var lint = await infra.LintAsync();

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Empty(lint.Diagnostics);
        Assert.DoesNotContain("Error", lint.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bicep_file_builds_to_an_arm_template_with_zero_errors_and_zero_warnings()
    {
        var build = await infra.BuildAsync();

        Assert.True(build.Result.ExitCode == 0, build.Result.ToString());
        Assert.Empty(build.Result.Diagnostics);
        var expected = InfraFixture.BicepFiles
            .Select(f => Path.ChangeExtension(Path.GetRelativePath(InfraFixture.InfraDirectory, f), ".json").Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, build.Templates.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Proves the diagnostics parser and the repository's bicepconfig.json: rules that are off by default report.</summary>
    [Fact]
    public async Task The_linter_reports_warnings_the_repository_config_raises()
    {
        var dir = Directory.CreateDirectory(Path.Combine(infra.WorkDirectory, "negative-" + Guid.NewGuid().ToString("N"))).FullName;
        var file = Path.Combine(dir, "bad.bicep");
        await File.WriteAllTextAsync(file, """
            param unused string
            param location string = 'westeurope'
            resource old 'Microsoft.Storage/storageAccounts@2019-06-01' = {
              name: 'stnegative${uniqueString(resourceGroup().id)}'
              location: 'westeurope'
              kind: 'StorageV2'
              sku: {
                name: 'Standard_LRS'
              }
            }
            output id string = old.id
            """, TestContext.Current.CancellationToken);

        var lint = await BicepCli.RunAsync(dir, ["lint", file, "--config", InfraFixture.BicepConfig], TestContext.Current.CancellationToken);

        var codes = lint.Diagnostics.Where(d => d.Level == "Warning").Select(d => d.Code).ToHashSet();
        Assert.Contains("no-unused-params", codes);
        Assert.Contains("use-recent-api-versions", codes); // off by default: on only through bicepconfig.json
        Assert.Contains("no-hardcoded-location", codes); // off by default as well
    }

    [Fact]
    public void Bicepconfig_raises_every_linter_rule_to_at_least_warning()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(InfraFixture.BicepConfig));
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        Assert.True(core.GetProperty("enabled").GetBoolean());
        var rules = core.GetProperty("rules").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetProperty("level").GetString());

        Assert.True(rules.Count >= 40, $"only {rules.Count} rules configured");
        Assert.All(rules, r => Assert.True(r.Value is "warning" or "error", $"{r.Key} is {r.Value}"));
        foreach (var offByDefault in new[] { "use-recent-api-versions", "no-hardcoded-location", "no-loc-expr-outside-params", "use-user-defined-types", "explicit-values-for-loc-params", "what-if-short-circuiting", "use-resource-id-functions" })
        {
            Assert.Equal("warning", rules[offByDefault]);
        }
    }

    [Fact]
    public void Modules_are_local_files_not_registry_references()
    {
        foreach (var file in InfraFixture.BicepFiles)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("'br/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts/", text, StringComparison.Ordinal);
        }
    }
}
