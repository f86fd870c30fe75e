using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;

namespace Tapewatch.Benchmarks;

/// <summary>
/// <c>Tapewatch.Benchmarks evaluate --storage CS [--changed-from yyyy-MM-dd]</c>: evaluates the stored sessions and stores the
/// current evaluation, as the evaluator function does (scripts/load-test.sh uses it when the host does not drain the queue).
/// </summary>
internal static class SeedEvaluation
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var storage = Arg("--storage");
        if (storage is null)
        {
            await Console.Error.WriteLineAsync("usage: evaluate --storage <connection string> [--changed-from yyyy-MM-dd]").ConfigureAwait(false);
            return 2;
        }

        DateOnly? changedFrom = Arg("--changed-from") is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = storage }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddTapewatchApp(configuration);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<EvaluationService>().EvaluateAsync(null, changedFrom, "load-test", CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"evaluated {outcome.SessionsEvaluated} session(s), as of {outcome.AsOfSession:yyyy-MM-dd}, current {outcome.Current}");
        return outcome.Evaluation is null ? 1 : 0;
    }
}
