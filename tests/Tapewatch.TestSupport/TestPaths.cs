namespace Tapewatch.TestSupport;

public static class TestPaths
{
    /// <summary>The repository root (the folder holding Functions.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data beside the repository (real reference data; may be absent).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A path under ../shared/data, or a skip with a clear message when the folder is absent.</summary>
    public static string SharedDataFile(params string[] parts)
    {
        var path = Path.Combine([SharedData, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Xunit.Assert.Skip($"Reference data not found at {path} (../shared/data is absent in this checkout).");
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
