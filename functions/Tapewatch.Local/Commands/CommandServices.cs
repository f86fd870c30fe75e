using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary>
/// The app's services for one CLI command, over the command's storage (flag, configuration, the running local
/// host's Azurite, or a private one). Disposing stops a private Azurite.
/// </summary>
internal sealed class CommandServices : IAsyncDisposable
{
    private readonly LocalStorage _storage;

    private CommandServices(LocalStorage storage, ServiceProvider services)
    {
        _storage = storage;
        Services = services;
    }

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Returns null (and prints why) when storage or configuration is unusable; the caller exits 3.</summary>
    public static async Task<CommandServices?> OpenAsync(string? storageFlag, string? dataDirectory, TextWriter status, TextWriter error, CancellationToken cancellationToken)
    {
        var flags = new Dictionary<string, string?> { [LocalStorage.ConnectionStringKey] = storageFlag };
        var storage = await LocalStorage.TryOpenAsync(flags, dataDirectory, status, error, cancellationToken).ConfigureAwait(false);
        if (storage is null) return null;

        var services = Build(storage.Configuration);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
        {
            error.WriteLine(message);
            await services.DisposeAsync().ConfigureAwait(false);
            await storage.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        return new CommandServices(storage, services);
    }

    /// <summary>The app's services with quiet logging (commands print their own results; errors go to stderr).</summary>
    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Error);
            b.AddFilter("Polly", LogLevel.None);
            b.AddFilter("System.Net.Http", LogLevel.None);
            b.AddSimpleConsole(o => o.SingleLine = true);
            b.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync().ConfigureAwait(false);
        await _storage.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Options every storage-backed command shares.</summary>
internal static class StorageOptionsFlags
{
    public static Option<string?> Storage() => new("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString, else the running local host's Azurite, else a private one)" };

    public static Option<string?> Data() => new("--data") { Description = "Folder of a private Azurite's data (default: in-memory)" };
}
