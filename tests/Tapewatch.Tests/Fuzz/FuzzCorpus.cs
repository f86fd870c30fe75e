using System.Runtime.InteropServices;
using System.Text;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// The regression corpus: every input that ever failed a fuzz target, in <c>tests/Tapewatch.Tests/Fuzz/Corpus/&lt;target&gt;/</c>
/// of the source tree (read from there, so a file written by an exploration run is picked up without a rebuild).
/// <c>.txt</c> files hold the input's exact UTF-8 bytes; an input that UTF-8 cannot carry (a lone surrogate) is kept
/// as <c>.utf16le</c> (its UTF-16 code units, little-endian, unvalidated). Corpus/README.md names the bug each file found.
/// </summary>
public static class FuzzCorpus
{
    public static string Directory => Path.Combine(TestPaths.RepoRoot, "tests", "Tapewatch.Tests", "Fuzz", "Corpus");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every corpus file as (target, path relative to the corpus folder, with '/').</summary>
    public static IReadOnlyList<(string Target, string File)> Files() =>
        !System.IO.Directory.Exists(Directory)
            ? []
            : System.IO.Directory.GetDirectories(Directory).Order(StringComparer.Ordinal)
                .SelectMany(d => System.IO.Directory.GetFiles(d).Where(IsInput).Order(StringComparer.Ordinal)
                    .Select(f => (Path.GetFileName(d), Path.GetRelativePath(Directory, f).Replace('\\', '/'))))
                .ToList();

    public static bool IsInput(string path) => path.EndsWith(".txt", StringComparison.Ordinal) || path.EndsWith(".utf16le", StringComparison.Ordinal);

    public static string Read(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Directory, relativePath));
        return relativePath.EndsWith(".utf16le", StringComparison.Ordinal) ? new string(MemoryMarshal.Cast<byte, char>(bytes)) : StrictUtf8.GetString(bytes);
    }

    /// <summary>Writes a failing input under its target's folder and returns the path; an existing identical input is reused.</summary>
    public static string Write(string target, string name, string input)
    {
        var folder = Path.Combine(Directory, target);
        System.IO.Directory.CreateDirectory(folder);
        byte[] bytes;
        string extension;
        try
        {
            bytes = StrictUtf8.GetBytes(input);
            extension = ".txt";
        }
        catch (EncoderFallbackException)
        {
            bytes = MemoryMarshal.AsBytes(input.AsSpan()).ToArray(); // the chars as they are: a lone surrogate survives
            extension = ".utf16le";
        }

        var path = Path.Combine(folder, name + extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
