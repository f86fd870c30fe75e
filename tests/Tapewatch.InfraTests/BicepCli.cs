using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Tapewatch.InfraTests;

/// <summary>One diagnostic the Bicep CLI printed ("file(line,col) : Warning code: message").</summary>
public sealed record BicepDiagnostic(string File, int Line, string Level, string Code, string Message)
{
    public override string ToString() => $"{Path.GetFileName(File)}({Line}) {Level} {Code}: {Message}";
}

public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<BicepDiagnostic> Diagnostics => BicepCli.ParseDiagnostics(StandardOutput + "\n" + StandardError);

    public override string ToString() => $"exit {ExitCode}\n{StandardOutput}\n{StandardError}";
}

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a PackageDownload of this project, so
/// `dotnet restore` fetches exactly the version in the csproj into the NuGet cache).
/// </summary>
public static partial class BicepCli
{
    public const string PackageId = "azure.bicep.commandline.linux-x64";

    public static string Version { get; } = Metadata("BicepCliVersion");

    /// <summary>The bicep binary; skips the test on platforms the package does not serve.</summary>
    public static string ExecutablePath
    {
        get
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            {
                Assert.Skip($"The Bicep CLI package used by the tests ({PackageId}) runs on linux-x64 only; this is {RuntimeInformation.RuntimeIdentifier}.");
            }

            return Executable.Value;
        }
    }

    private static readonly Lazy<string> Executable = new(() => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : Locate());

    public static async Task<BicepResult> RunAsync(string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(ExecutablePath, arguments, workingDirectory, TimeSpan.FromMinutes(2), cancellationToken);
        return new BicepResult(exitCode, stdout, stderr);
    }

    public static IReadOnlyList<BicepDiagnostic> ParseDiagnostics(string output) =>
        DiagnosticLine().Matches(output)
            .Select(m => new BicepDiagnostic(
                m.Groups["file"].Value,
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["level"].Value,
                m.Groups["code"].Value,
                m.Groups["message"].Value.Trim()))
            .ToList();

    [GeneratedRegex(@"^(?<file>\S.*?)\((?<line>\d+),(?<col>\d+)\) : (?<level>Error|Warning|Info) (?<code>[^:\s]+): (?<message>.*)$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string Locate()
    {
        var roots = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Metadata("NuGetPackageRoot"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => Path.Combine(r!, PackageId, Version, "tools", "bicep"))
            .ToList();
        var path = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"Bicep CLI {Version} not found (looked in: {string.Join(", ", candidates)}). Run `dotnet restore tests/Tapewatch.InfraTests`: its PackageDownload fetches {PackageId}.");

        // NuGet extracts files without the execute bit on some systems.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing (see Tapewatch.InfraTests.csproj).");
}
