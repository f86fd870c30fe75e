using System.Text.RegularExpressions;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Architecture;

/// <summary>Conventions the compiler does not check, read from the source under functions/.</summary>
public sealed partial class IdiomTests
{
    private static IEnumerable<(string File, string Text)> Sources() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(TestPaths.RepoRoot, f), File.ReadAllText(f)));

    [Fact]
    public void Every_fixed_regular_expression_is_source_generated()
    {
        var files = Sources().ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found");
        var literal = files.SelectMany(f => LiteralPattern().Matches(f.Text).Select(m => $"{f.File}: {m.Value}")).ToList();
        Assert.True(literal.Count == 0, "use [GeneratedRegex] for a fixed pattern:\n" + string.Join("\n", literal));
        Assert.Contains(files, f => f.Text.Contains("[GeneratedRegex(", StringComparison.Ordinal));
    }

    [Fact]
    public void The_check_finds_a_fixed_pattern()
    {
        Assert.Matches(LiteralPattern(), "var m = Regex.Match(text, @\"^(?<a>x)$\", RegexOptions.None);");
        Assert.Matches(LiteralPattern(), "_ = new Regex(\"a+b\");");
        Assert.DoesNotMatch(LiteralPattern(), "_ = new Regex(value, RegexOptions.None, RegexTimeout);");
        Assert.DoesNotMatch(LiteralPattern(), "return Regex.IsMatch(actual, \"^(?:\" + Value + \")$\", RegexOptions.IgnoreCase);");
    }

    /// <summary>A Regex built or called with a string literal as its whole pattern (not a pattern assembled at run time).</summary>
    [GeneratedRegex("""(?:new\s+Regex\(\s*|Regex\.(?:Match|IsMatch|Matches|Replace|Split)\(\s*[^,()]+,\s*)@?"(?:[^"\\]|\\.|"")*"\s*[,)]""")]
    private static partial Regex LiteralPattern();
}
