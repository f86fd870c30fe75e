using System.Diagnostics;
using System.Text.Json;
using Tapewatch.TestSupport;

namespace Tapewatch.InfraTests;

/// <summary>`dotnet publish` of the Functions project produces what azd zips and deploys to Flex Consumption.</summary>
public sealed class DeploymentPackageTests(InfraFixture infra)
{
    [Fact]
    public async Task Publish_output_holds_host_json_function_metadata_worker_config_and_the_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(infra.WorkDirectory, "publish-" + Guid.NewGuid().ToString("N"));
        var project = Path.Combine(InfraFixture.RepoRoot, "functions", "Tapewatch.Functions", "Tapewatch.Functions.csproj");

        // As azd packages it: `dotnet publish` with the project's own settings (no --no-build: the publish compiles the
        // worker for linux-x64, the RID the project publishes for, apart from the RID-neutral build of the solution).
        var (exitCode, log) = await RunDotnetAsync(["publish", project, "-c", TestPaths.Configuration, "--nologo", "--disable-build-servers", "-o", output], ct, timeout: TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, log);

        Assert.Equal(File.ReadAllText(Path.Combine(InfraFixture.RepoRoot, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
        Assert.True(File.Exists(Path.Combine(output, "Tapewatch.Functions.dll")), "worker assembly missing");
        Assert.True(File.Exists(Path.Combine(output, "Tapewatch.Core.dll")), "Core assembly missing");
        Assert.True(File.Exists(Path.Combine(output, "Tapewatch.Infrastructure.dll")), "Infrastructure assembly missing");
        Assert.True(File.Exists(Path.Combine(output, "extensions.json")), "extensions.json missing");
        Assert.True(Directory.Exists(Path.Combine(output, ".azurefunctions")), ".azurefunctions (extension bundle of the worker) missing");
        Assert.False(File.Exists(Path.Combine(output, "local.settings.json")), "local.settings.json must never be deployed");

        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Tapewatch.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var functions = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("Health", functions);

        // Framework-dependent (Flex Consumption brings .NET 10), and every Tapewatch assembly precompiled for linux-x64.
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "Tapewatch.Functions.runtimeconfig.json")));
        Assert.True(runtimeConfig.RootElement.GetProperty("runtimeOptions").TryGetProperty("frameworks", out _), "the worker must be framework-dependent");
        var ours = Directory.GetFiles(output, "Tapewatch.*.dll");
        Assert.Equal(["Tapewatch.Core.dll", "Tapewatch.Functions.dll", "Tapewatch.Infrastructure.dll"], ours.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var assembly in ours) Assert.Equal(ReadyToRunImage.LinuxX64, ReadyToRunImage.Inspect(assembly));
        // Their dependencies too: every assembly that has code (a facade without method bodies has nothing to compile).
        Assert.All(Directory.GetFiles(output, "*.dll"), assembly => Assert.Contains(ReadyToRunImage.Inspect(assembly), new[] { ReadyToRunImage.LinuxX64, ReadyToRunImage.NoCode }));
    }

    /// <summary>The worker stops at start-up, exit code 3, naming (not printing) a setting whose Key Vault reference did not resolve.</summary>
    [Fact]
    public async Task The_worker_refuses_to_start_with_an_unresolved_key_vault_reference()
    {
        var worker = Path.Combine(InfraFixture.RepoRoot, "functions", "Tapewatch.Functions", "bin", TestPaths.Configuration, "net10.0", "Tapewatch.Functions.dll");
        Assert.True(File.Exists(worker), $"{worker} is missing: build Functions.sln -c {TestPaths.Configuration} first (./test.sh does).");
        var environment = new Dictionary<string, string>
        {
            ["Tapewatch__Alerts__Teams__WebhookUrl"] = "@Microsoft.KeyVault(SecretUri=https://kv-failfast.vault.azure.net/secrets/teams-webhook-url/)",
            ["Tapewatch__Storage__ConnectionString"] = "UseDevelopmentStorage=true",
        };

        var (exitCode, log) = await RunDotnetAsync([worker], TestContext.Current.CancellationToken, environment);

        Assert.True(exitCode == 3, $"exit {exitCode}: {log}");
        Assert.Contains("Tapewatch__Alerts__Teams__WebhookUrl", log, StringComparison.Ordinal);
        Assert.Contains("did not resolve", log, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-failfast", log, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Log)> RunDotnetAsync(IEnumerable<string> arguments, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var env = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(dotnet, arguments, InfraFixture.RepoRoot, timeout ?? TimeSpan.FromMinutes(3), ct, env);
        return (exitCode, stdout + stderr);
    }
}
