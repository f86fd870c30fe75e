using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core;
using Tapewatch.Core.Health;
using Tapewatch.Core.Hosting;
using Tapewatch.Core.Ingestion;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// The one-machine host: storage (configured, else its own Azurite), the same jobs and HTTP handlers
/// as the Function app, the schedules, and one ingest + evaluate cycle on start.
/// </summary>
internal sealed class LocalHost(LocalHostOptions options, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var flags = new Dictionary<string, string?>(options.Settings ?? new Dictionary<string, string?>())
        {
            ["Tapewatch:Storage:ConnectionString"] = options.StorageConnectionString,
        };
        var configuration = LocalConfiguration.Build(flags);
        var connectionString = configuration["Tapewatch:Storage:ConnectionString"];

        AzuriteProcess? azurite = null;
        try
        {
            if (string.IsNullOrWhiteSpace(connectionString) && string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:TableServiceUri"]))
            {
                output.WriteLine(options.DataDirectory is null
                    ? "storage: starting Azurite (in-memory; use --data DIR to keep data)…"
                    : $"storage: starting Azurite with data in {Path.GetFullPath(options.DataDirectory)}…");
                try
                {
                    azurite = await AzuriteProcess.StartAsync(options.DataDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (AzuriteUnavailableException ex)
                {
                    error.WriteLine($"error: {ex.Message}");
                    return ExitCodes.Configuration;
                }

                output.WriteLine($"storage: Azurite on 127.0.0.1 (table {azurite.TablePort}, queue {azurite.QueuePort}, blob {azurite.BlobPort})");
                flags["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString;
                configuration = LocalConfiguration.Build(flags);
            }

            var app = Build(configuration);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                error.WriteLine($"error: configuration: {string.Join("; ", ex.Failures)}");
                return ExitCodes.Configuration;
            }
            catch (IOException ex)
            {
                error.WriteLine($"error: cannot listen on http://localhost:{options.Port}: {ex.Message} (use --port)");
                return ExitCodes.Configuration;
            }

            output.WriteLine($"http: listening on http://localhost:{options.Port}/api/health");
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await StartupCycleAsync(app.Services, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C while the first cycle was still fetching: stop cleanly below.
                }

                if (options.Once)
                {
                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                output.WriteLine("Serving. Press Ctrl-C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                output.WriteLine("Stopping…");
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        }
        finally
        {
            if (azurite is not null) await azurite.DisposeAsync().ConfigureAwait(false);
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
        builder.WebHost.UseUrls($"http://localhost:{options.Port}");
        builder.Services.AddTapewatchApp(builder.Configuration);
        builder.Services.AddHostedService<LocalScheduler>();
        var app = builder.Build();
        app.MapTapewatchEndpoints(options.ApiKey ?? configuration["Tapewatch:Local:ApiKey"]);
        return app;
    }

    private async Task StartupCycleAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var runs = new List<IngestionRun>();
        foreach (var job in services.GetServices<ScheduledJobDefinition>())
        {
            await using var scope = services.CreateAsyncScope();
            try
            {
                var instance = (IScheduledJob)scope.ServiceProvider.GetRequiredService(job.JobType);
                runs.AddRange(await instance.RunAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"{job.Name}: failed: {ex.Message}");
            }
        }

        foreach (var run in runs)
        {
            var line = run.Outcome is RunOutcome.Succeeded
                ? $"{run.Source}: ok ({run.Inserted} new, {run.Updated} changed, {run.Unchanged} unchanged)"
                : $"{run.Source}: {run.Outcome}: {run.Error}";
            output.WriteLine(line);
        }

        var health = await services.GetRequiredService<HealthService>().CheckAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"health: {health.Status} (storage {health.Storage.Status})");
    }
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Configuration = 3;
}
