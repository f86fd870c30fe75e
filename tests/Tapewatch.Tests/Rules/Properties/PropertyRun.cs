using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CsCheck;
using Xunit.Abstractions;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>
/// Runs a property on generated cases (CsCheck generators), the same cases every run in CI and fresh ones on demand.
/// <list type="bullet">
/// <item>Default (CI): <see cref="DefaultCases"/> cases (or the property's own count) from the fixed seed
/// <see cref="FixedSeed"/>; each property draws from its own PCG stream (FNV-1a of its name), so the properties do not all
/// see the same worlds.</item>
/// <item><c>FUZZ_SECONDS=60</c>: each property runs for that long from a fresh random seed, printed at the start (test
/// output) and in any failure.</item>
/// <item><c>FUZZ_SEED=123</c>: replays the run of that seed (with <c>FUZZ_SECONDS</c> for as long, else the default count).
/// <c>FUZZ_SEED</c> also takes a CsCheck case seed (12–17 characters, printed with a failure): the run then starts with
/// exactly that case.</item>
/// </list>
/// CsCheck's own <c>Sample(seed: …)</c> fixes only the first iteration, so the cases are drawn here, in sequence, from one
/// PCG; a failing case is then shrunk with <c>Sample</c> (random search for a smaller failing case) and both are reported.
/// </summary>
internal static class PropertyRun
{
    /// <summary>The seed every CI run uses (a date, nothing more).</summary>
    public const ulong FixedSeed = 20_251_111;

    public const int DefaultCases = 200;

    /// <summary>For the properties that evaluate every case twice (metamorphic: changed inputs, options or calendar, or a backtest and its rows).</summary>
    public const int PairedCases = 100;

    private const int ShrinkSeconds = 10;

    public static void Check<T>(ITestOutputHelper output, Gen<T> gen, Action<T> property, Func<T, string> print, int cases = DefaultCases, [CallerMemberName] string name = "")
    {
        var seconds = ReadSeconds();
        var (pcg, seedText) = StartingPoint(name, seconds is not null);
        output.WriteLine($"{name}: seed {seedText}{(seconds is { } s ? $", exploring for {s} s" : $", {cases} cases")}");
        var watch = Stopwatch.StartNew();
        var ran = 0;
        while (seconds is { } limit ? watch.Elapsed.TotalSeconds < limit : ran < cases)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception ex)
            {
                var caseSeed = pcg.ToString(state);
                Assert.Fail($"{name} failed on case {ran + 1} of the run with seed {seedText} (replay: FUZZ_SEED={seedText}; "
                    + $"this case first: FUZZ_SEED={caseSeed}).\n{ex.GetType().Name}: {ex.Message}\nCase:\n{Printed(print, value)}\n\n{Shrink(gen, property, print, caseSeed)}");
            }

            ran++;
        }

        output.WriteLine($"{name}: {ran} cases passed in {watch.ElapsedMilliseconds} ms (seed {seedText})");
    }

    private static (PCG Pcg, string SeedText) StartingPoint(string name, bool exploring)
    {
        var replay = Environment.GetEnvironmentVariable("FUZZ_SEED");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            replay = replay.Trim();
            if (ulong.TryParse(replay, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return (new PCG(Stream(name), number), replay);
            try
            {
                return (PCG.Parse(replay), replay);
            }
            catch (Exception ex) when (ex is CsCheckException or FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                throw new InvalidOperationException($"FUZZ_SEED={replay} is neither a number nor a CsCheck case seed", ex);
            }
        }

        var seed = exploring ? (ulong)Random.Shared.NextInt64(1, long.MaxValue) : FixedSeed;
        return (new PCG(Stream(name), seed), seed.ToString(CultureInfo.InvariantCulture));
    }

    private static double? ReadSeconds()
    {
        var text = Environment.GetEnvironmentVariable("FUZZ_SECONDS");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? s
            : throw new InvalidOperationException($"FUZZ_SECONDS={text} is not a positive number of seconds");
    }

    /// <summary>FNV-1a of the property name: a stable PCG stream per property.</summary>
    private static uint Stream(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash ^= c;
            hash *= 16777619u;
        }

        return hash;
    }

    private static string Shrink<T>(Gen<T> gen, Action<T> property, Func<T, string> print, string caseSeed)
    {
        try
        {
            gen.Sample(property, seed: caseSeed, time: ShrinkSeconds, threads: 1, print: t => Printed(print, t));
            return "(the case did not fail again while shrinking)";
        }
        catch (CsCheckException shrunk)
        {
            return $"Smallest failing case found in {ShrinkSeconds} s of shrinking (CsCheck; its seed works as FUZZ_SEED):\n{shrunk.Message}\n{shrunk.InnerException?.GetType().Name}: {shrunk.InnerException?.Message}";
        }
    }

    private static string Printed<T>(Func<T, string> print, T value)
    {
        try
        {
            return print(value);
        }
        catch (Exception ex)
        {
            return $"(printing the case failed: {ex.Message})";
        }
    }
}
