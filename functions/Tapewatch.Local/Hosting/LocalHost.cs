using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// The one-machine host: storage (configured, else its own Azurite), the same jobs and HTTP handlers
/// as the Function app, the schedules, the evaluation queue consumed with the Functions semantics, and one
/// ingest + evaluate cycle on start.
/// </summary>
internal sealed class LocalHost(LocalHostOptions options, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var flags = new Dictionary<string, string?>(options.Settings)
        {
            [LocalStorage.ConnectionStringKey] = options.StorageConnectionString,
        };
        var storage = await LocalStorage.TryStartOwnAsync(flags, options.DataDirectory, output, error, cancellationToken).ConfigureAwait(false);
        if (storage is null) return ExitCodes.Configuration;

        await using (storage.ConfigureAwait(false))
        {
            if (storage.Azurite is { } azurite)
            {
                output.WriteLine($"storage: Azurite on 127.0.0.1 (table {azurite.TablePort}, queue {azurite.QueuePort}, blob {azurite.BlobPort})");
            }

            var configuration = storage.Configuration;
            WebApplication app;
            try
            {
                app = Build(configuration);
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
            {
                error.WriteLine(message);
                return ExitCodes.Configuration;
            }
            catch (IOException ex)
            {
                error.WriteLine($"error: cannot listen on http://localhost:{options.Port}: {ex.Message} (use --port)");
                return ExitCodes.Configuration;
            }

            var state = options.WriteStateFile && storage.Azurite is not null
                ? new LocalHostState(Environment.ProcessId, options.Port, storage.Azurite.ConnectionString)
                : null;
            state?.Write();
            try
            {
                output.WriteLine($"http: listening on http://localhost:{options.Port}/api/health (dashboard: http://localhost:{options.Port}/api/dashboard)");
                await using (app.ConfigureAwait(false))
                {
                    try
                    {
                        if (options.Replay is { } replay) await replay(app.Services, output, cancellationToken).ConfigureAwait(false);
                        else if (options.RunStartupCycle) await StartupCycleAsync(app.Services, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Ctrl-C during the first cycle: stop as usual below.
                    }

                    if (!options.Once && !cancellationToken.IsCancellationRequested)
                    {
                        output.WriteLine("Serving. Press Ctrl-C to stop.");
                        try
                        {
                            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                        }

                        output.WriteLine("Stopping…");
                    }

                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
            }
            finally
            {
                state?.Delete();
            }
        }
    }

    private WebApplication Build(IConfigurationRoot configuration)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://localhost:{options.Port}");
        if (options.Time is { } time) builder.Services.AddSingleton(time);
        builder.Services.AddTapewatchApp(builder.Configuration);
        builder.Services.AddSingleton<QueueMessageHandler>(static (services, message, ct) =>
            services.GetRequiredService<EvaluationService>().HandleMessageAsync(message, ct));
        builder.Services.AddSingleton<LocalQueueWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalQueueWorker>());
        if (options.EnableScheduler && options.Replay is null && !options.Once) builder.Services.AddHostedService<LocalScheduler>();
        var app = builder.Build();
        app.MapTapewatchEndpoints(options.ApiKey ?? configuration["Tapewatch:Local:ApiKey"]);
        return app;
    }

    /// <summary>
    /// Runs every job once (this is also the catch-up for runs missed while the host was down), drains the
    /// evaluation queue, and prints each source's outcome and the regime.
    /// </summary>
    private async Task StartupCycleAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var runs = new List<IngestionRun>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        foreach (var job in services.GetServices<ScheduledJobDefinition>())
        {
            try
            {
                runs.AddRange(await job.RunInScopeAsync(scopes, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"{job.Name}: failed: {ex.Message}");
            }
        }

        foreach (var line in runs.Select(r => $"{r.Dataset,-22} {Describe(r)}").Distinct(StringComparer.Ordinal)) output.WriteLine(line);
        await PrintRegimeAsync(services, output, cancellationToken).ConfigureAwait(false);
        var health = await services.GetRequiredService<HealthService>().CheckAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"health: {health.Status} (storage {health.Storage.Status})");
    }

    /// <summary>Processes the evaluation queue, then prints the current regime (or why there is none).</summary>
    public static async Task PrintRegimeAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var processed = await services.GetRequiredService<LocalQueueWorker>().DrainAsync(cancellationToken).ConfigureAwait(false);
            if (processed > 0) output.WriteLine($"evaluation: {processed} request(s) processed");
            var current = await services.GetRequiredService<EvaluationStore>().GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            output.WriteLine();
            output.WriteLine(current is { } c
                ? RegimeTable.Render(c.Evaluation)
                : "regime: no evaluation yet (no ETF flow sessions are stored; the sources above say why)");
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            output.WriteLine($"regime: storage unreachable ({ex.Message.Split('\n')[0].Trim()})");
        }
    }

    internal static string Describe(IngestionRun run) => run.Outcome switch
    {
        RunOutcome.Succeeded => $"{run.Source}: ok ({run.Inserted} new, {run.Updated} changed, {run.Unchanged} unchanged)",
        RunOutcome.SourceBlocked => $"{run.Source}: blocked: {run.Error}",
        _ when IsNetworkError(run.Error) => $"{run.Source}: network unreachable: {run.Error}",
        _ => $"{run.Source}: {run.Outcome.ToString().ToLowerInvariant()}: {run.Error}",
    };

    private static bool IsNetworkError(string? error) =>
        error is not null && (error.Contains("Name or service not known", StringComparison.OrdinalIgnoreCase)
            || error.Contains("No such host", StringComparison.OrdinalIgnoreCase)
            || error.Contains("Network is unreachable", StringComparison.OrdinalIgnoreCase)
            || error.Contains("Connection refused", StringComparison.OrdinalIgnoreCase));
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Configuration = 3;
}
