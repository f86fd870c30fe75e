namespace Tapewatch.TestSupport;

public static class TestPaths
{
    /// <summary>The repository root (the folder holding Functions.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>tests/data: the real reference data copied into the repository (provenance in its README).</summary>
    public static string Data => Path.Combine(RepoRoot, "tests", "data");

    /// <summary>
    /// True when the CI variable is set to anything but empty, <c>false</c> or <c>0</c> (CI systems set <c>true</c>,
    /// <c>1</c> or their own name).
    /// </summary>
    public static bool IsCi => IsCiValue(Environment.GetEnvironmentVariable("CI"));

    public static bool IsCiValue(string? value) =>
        value?.Trim() is { Length: > 0 } v && !v.Equals("false", StringComparison.OrdinalIgnoreCase) && v != "0";

    /// <summary>A file or folder under tests/data. It is part of the repository, so a missing one is an error, never a skip.</summary>
    public static string DataFile(params string[] parts)
    {
        var path = Path.Combine([Data, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Reference data not found at {path}: tests/data is part of the repository (see tests/data/README.md).", path);
        }

        return path;
    }

    /// <summary>The Release/Debug configuration this test assembly was built with.</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
