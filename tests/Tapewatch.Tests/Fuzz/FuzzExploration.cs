using System.Globalization;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// Exploration on demand: <c>FUZZ_SECONDS=600 ./test.sh --filter Fuzz</c> gives each target an equal share of the
/// seconds with a fresh random seed (<c>FUZZ_SEED</c> replays one), prints the seed, and on a failure writes the input
/// into the corpus folder of the source tree and prints its path, the seed and the iteration. Without
/// <c>FUZZ_SECONDS</c> nothing here is used and the fuzz tests are deterministic.
/// </summary>
public static class FuzzExploration
{
    private static readonly Lazy<int> BaseSeed = new(() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next());

    private static int _announced;

    /// <summary>Each target's share of <c>FUZZ_SECONDS</c>; null when the variable is not set (deterministic run).</summary>
    public static TimeSpan? Budget(int targets) =>
        double.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds / targets)
            : null;

    /// <summary>The run's base seed (FUZZ_SEED, else random) mixed with the target's name.</summary>
    public static int SeedFor(string target) => unchecked((BaseSeed.Value * 397) ^ StableSeed(target));

    /// <summary>A seed from a name (string.GetHashCode is randomised per process).</summary>
    public static int StableSeed(string name) => name.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    private static string Replay => $"FUZZ_SEED={BaseSeed.Value} FUZZ_SECONDS={Environment.GetEnvironmentVariable("FUZZ_SECONDS")}";

    public static void Announce(ITestOutputHelper output, string target, int seed)
    {
        if (Interlocked.Exchange(ref _announced, 1) == 0) Print(output, $"fuzz exploration: {Replay} ./test.sh --filter Fuzz replays this run");
        Print(output, $"fuzz exploration: {target}: seed {seed}");
    }

    /// <summary>Keeps a failing input in the corpus and says how to replay it.</summary>
    public static string Keep(ITestOutputHelper output, string target, int seed, int iteration, string input)
    {
        var path = FuzzCorpus.Write(target, string.Create(CultureInfo.InvariantCulture, $"explore-seed{seed}-i{iteration}"), input);
        var message = $"fuzz exploration: {target} failed at iteration {iteration} of seed {seed} ({Replay}); the input is kept in {path}: " +
            "add a row naming the bug to Fuzz/Corpus/README.md, fix it, and commit both";
        Print(output, message);
        return message;
    }

    /// <summary>To the test's output, and to the console as it happens (test.sh shows both while exploring).</summary>
    private static void Print(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
