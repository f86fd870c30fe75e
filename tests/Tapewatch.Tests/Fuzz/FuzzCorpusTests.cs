using System.Text.RegularExpressions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>The regression corpus stays documented: every input has the bug it found in Corpus/README.md, and every row a file.</summary>
public sealed partial class FuzzCorpusTests
{
    [Fact]
    public void Every_corpus_input_names_the_bug_it_found_and_every_named_input_exists()
    {
        var files = FuzzCorpus.Files().Select(f => f.File).Order(StringComparer.Ordinal).ToList();
        var rows = ReadmeRow().Matches(File.ReadAllText(Path.Combine(FuzzCorpus.Directory, "README.md"))).Select(m => m.Groups["file"].Value).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(29, files.Count); // grows with every bug found; update Fuzz/Corpus/README.md and docs/reliability.md
        Assert.Equal(files, rows);
    }

    [Fact]
    public void Every_corpus_folder_is_a_fuzz_target()
    {
        var targets = FuzzCorpus.Files().Select(f => f.Target).Distinct().ToList();
        Assert.Equal(13, targets.Count);
        Assert.All(targets, t => Assert.Contains(ParserFuzzTargets.All, x => x.Name == t));
    }

    [GeneratedRegex(@"^\| `(?<file>[^`]+\.(?:txt|utf16le))` \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
