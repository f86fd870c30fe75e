using System.Text;
using System.Text.Json;
using Tapewatch.TestSupport;

[assembly: AssemblyFixture(typeof(Tapewatch.InfraTests.InfraFixture))]

namespace Tapewatch.InfraTests;

/// <summary>
/// Runs the Bicep CLI once per artefact for the whole assembly: lint of every file, build of every file to ARM JSON,
/// and deployment snapshots (the predicted resources with parameters and names evaluated) of main.bicep.
/// </summary>
public sealed class InfraFixture : IAsyncDisposable
{
    /// <summary>Fixed deployment context for the snapshots, so the predicted names are stable.</summary>
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    public const string Location = "eastus2";
    public const string EnvironmentName = "ci";
    public const string DeployingPrincipalId = "11111111-2222-3333-4444-555555555555";

    private readonly string _work = Directory.CreateTempSubdirectory("tapewatch-infra-").FullName;
    private readonly Lazy<Task<BicepResult>> _lint;
    private readonly Lazy<Task<BuildOutput>> _build;
    private readonly Lazy<Task<JsonDocument>> _snapshotWithPrincipal;
    private readonly Lazy<Task<JsonDocument>> _snapshotMinimal;

    public InfraFixture()
    {
        _lint = new(() => BicepCli.RunAsync(RepoRoot, ["lint", "--pattern", "infra/**/*.bicep"], CancellationToken.None));
        _build = new(BuildTemplatesAsync);
        _snapshotWithPrincipal = new(() => SnapshotAsync("with-principal", new Dictionary<string, string>
        {
            ["principalId"] = $"'{DeployingPrincipalId}'",
            ["configuredSecretNames"] = "'teams-webhook-url, smtp-password,sosovalue-api-key,coinalyze-api-key'",
            ["enableServiceBus"] = "true",
        }));
        _snapshotMinimal = new(() => SnapshotAsync("minimal", new Dictionary<string, string>()));
    }

    public static string RepoRoot => TestPaths.RepoRoot;

    public static string InfraDirectory => Path.Combine(RepoRoot, "infra");

    public static string BicepConfig => Path.Combine(RepoRoot, "bicepconfig.json");

    public static IReadOnlyList<string> BicepFiles { get; } = Directory
        .EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "infra"), "*.bicep", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .ToList();

    public string WorkDirectory => _work;

    public Task<BicepResult> LintAsync() => _lint.Value;

    public Task<BuildOutput> BuildAsync() => _build.Value;

    /// <summary>Snapshot with a deploying principal, every third-party secret configured and the Service Bus channel on.</summary>
    public Task<JsonDocument> SnapshotWithPrincipalAsync() => _snapshotWithPrincipal.Value;

    /// <summary>Snapshot with only the required parameters: the default deployment (no principal, no secrets, no Service Bus).</summary>
    public Task<JsonDocument> SnapshotMinimalAsync() => _snapshotMinimal.Value;

    private async Task<BuildOutput> BuildTemplatesAsync()
    {
        var outDir = Path.Combine(_work, "arm");
        Directory.CreateDirectory(outDir);
        var result = await BicepCli.RunAsync(RepoRoot, ["build", "--pattern", "infra/**/*.bicep", "--outdir", outDir], CancellationToken.None);
        var templates = Directory.EnumerateFiles(outDir, "*.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(outDir, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        return new BuildOutput(result, templates);
    }

    private async Task<JsonDocument> SnapshotAsync(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var dir = Path.Combine(_work, "snapshot-" + name);
        Directory.CreateDirectory(dir);
        var main = Path.GetRelativePath(dir, Path.Combine(InfraDirectory, "main.bicep")).Replace('\\', '/');
        var text = new StringBuilder()
            .AppendLine($"using '{main}'")
            .AppendLine($"param environmentName = '{EnvironmentName}'")
            .AppendLine($"param location = '{Location}'");
        foreach (var (key, value) in parameters) text.AppendLine($"param {key} = {value}");
        var paramFile = Path.Combine(dir, name + ".bicepparam");
        await File.WriteAllTextAsync(paramFile, text.ToString());

        var result = await BicepCli.RunAsync(dir,
            ["snapshot", paramFile, "--mode", "overwrite", "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location, "--config", BicepConfig],
            CancellationToken.None);
        var output = Path.Combine(dir, name + ".snapshot.json");
        if (result.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"bicep snapshot failed: {result}");
        }

        return JsonDocument.Parse(await File.ReadAllTextAsync(output));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var snapshot in new[] { _snapshotWithPrincipal, _snapshotMinimal }.Where(s => s.IsValueCreated))
        {
            try { (await snapshot.Value).Dispose(); } catch (InvalidOperationException) { }
        }

        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Result of `bicep build --pattern infra/**/*.bicep`: the CLI result and each ARM template by relative path.</summary>
public sealed record BuildOutput(BicepResult Result, IReadOnlyDictionary<string, string> Templates)
{
    public JsonDocument Template(string relativePath) => JsonDocument.Parse(Templates[relativePath]);
}
