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

        // --no-build: the solution is already built (test.sh builds it first); this only lays out the deployment package.
        var built = Path.Combine(InfraFixture.RepoRoot, "functions", "Tapewatch.Functions", "bin", TestPaths.Configuration, "net10.0", "Tapewatch.Functions.dll");
        Assert.True(File.Exists(built), $"{built} is missing: build Functions.sln -c {TestPaths.Configuration} first (./test.sh does).");
        var (exitCode, log) = await RunDotnetAsync(["publish", project, "-c", TestPaths.Configuration, "--no-build", "--nologo", "-o", output], ct);
        Assert.True(exitCode == 0, log);

        Assert.Equal(File.ReadAllText(Path.Combine(InfraFixture.RepoRoot, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
        Assert.True(File.Exists(Path.Combine(output, "Tapewatch.Functions.dll")), "worker assembly missing");
        Assert.True(File.Exists(Path.Combine(output, "Tapewatch.Core.dll")), "Core assembly missing");
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
    }

    private static async Task<(int ExitCode, string Log)> RunDotnetAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraFixture.RepoRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
