using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Length > 0 && args[0] == "evaluate") return await Tapewatch.Benchmarks.SeedEvaluation.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "parse-pages") return Tapewatch.Benchmarks.ParseTiming.WritePages(args[1..]);
if (args.Length > 0 && args[0] == "serve-bytes") return await Tapewatch.Benchmarks.ServeBytes.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "parse-timing") return Tapewatch.Benchmarks.ParseTiming.Run(args[1..]);

// dotnet run -c Release --project tests/Tapewatch.Benchmarks -- --filter '*'           (short in-process job: a few minutes)
// Add --job default for BenchmarkDotNet's full statistics (much longer).
// Parsing speed against pandas.read_html: scripts/parse-bench.sh (parse-pages / parse-timing below).
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
if (!args.Contains("--job", StringComparer.Ordinal))
{
    config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
}

BenchmarkSwitcher.FromAssembly(typeof(Tapewatch.Benchmarks.TapewatchBenchmarks).Assembly).Run(args, config);
return 0;
