using Microsoft.Extensions.Configuration;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// Storage for a CLI command or the local host, with the configuration over it: the configured one
/// (<c>Tapewatch__Storage__*</c> or a flag), else, for a command, the Azurite of a running <c>./tapewatch run</c> (see
/// <see cref="LocalHostState"/>), else a private Azurite (in-memory, or in <c>--data DIR</c>) stopped when this is disposed.
/// </summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    /// <summary>The setting (and flag entry) of a storage connection string.</summary>
    public const string ConnectionStringKey = "Tapewatch:Storage:ConnectionString";

    private LocalStorage(AzuriteProcess? azurite, IConfigurationRoot configuration)
    {
        Azurite = azurite;
        Configuration = configuration;
    }

    public AzuriteProcess? Azurite { get; }

    /// <summary>The configuration with the flags, and this storage's connection string over them when Azurite provides it.</summary>
    public IConfigurationRoot Configuration { get; }

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ConnectionStringKey])
        || !string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:TableServiceUri"]);

    /// <summary>
    /// For a command: the storage configured with <paramref name="flags"/> laid over the configuration, else a running local
    /// host's Azurite, else a private one. Null, after printing why on <paramref name="error"/>, when Azurite is needed and
    /// cannot start.
    /// </summary>
    public static Task<LocalStorage?> TryOpenAsync(IReadOnlyDictionary<string, string?> flags, string? dataDirectory, TextWriter status, TextWriter error, CancellationToken cancellationToken) =>
        TryAsync(flags, error, configuration => OpenAsync(configuration, dataDirectory, status, cancellationToken));

    /// <summary>For the local host: the configured storage, else its own Azurite (never another host's); null as <see cref="TryOpenAsync"/>.</summary>
    public static Task<LocalStorage?> TryStartOwnAsync(IReadOnlyDictionary<string, string?> flags, string? dataDirectory, TextWriter status, TextWriter error, CancellationToken cancellationToken) =>
        TryAsync(flags, error, configuration => StartOwnAsync(configuration, dataDirectory, status, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        if (Azurite is not null) await Azurite.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<LocalStorage?> TryAsync(
        IReadOnlyDictionary<string, string?> flags, TextWriter error, Func<IConfigurationRoot, Task<(AzuriteProcess? Azurite, string? ConnectionString)>> find)
    {
        var configuration = LocalConfiguration.Build(flags);
        (AzuriteProcess? Azurite, string? ConnectionString) found;
        try
        {
            found = await find(configuration).ConfigureAwait(false);
        }
        catch (AzuriteUnavailableException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return null;
        }

        if (found.ConnectionString is null) return new LocalStorage(found.Azurite, configuration);
        var laid = new Dictionary<string, string?>(flags) { [ConnectionStringKey] = found.ConnectionString };
        return new LocalStorage(found.Azurite, LocalConfiguration.Build(laid));
    }

    private static async Task<(AzuriteProcess? Azurite, string? ConnectionString)> OpenAsync(IConfiguration configuration, string? dataDirectory, TextWriter status, CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration)) return (null, null);
        if (dataDirectory is null && LocalHostState.ReadLive() is { } running)
        {
            status.WriteLine($"storage: using the running local host's Azurite (pid {running.ProcessId}, http://localhost:{running.Port})");
            return (null, running.ConnectionString);
        }

        return await StartAzuriteAsync(
            dataDirectory,
            dataDirectory is null
                ? "storage: none configured and no local host running; starting a private Azurite (in-memory: data is discarded on exit; use --data DIR or Tapewatch__Storage__ConnectionString to keep it)…"
                : $"storage: starting Azurite with data in {Path.GetFullPath(dataDirectory)}…",
            status,
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(AzuriteProcess? Azurite, string? ConnectionString)> StartOwnAsync(IConfiguration configuration, string? dataDirectory, TextWriter status, CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration)) return (null, null);
        return await StartAzuriteAsync(
            dataDirectory,
            dataDirectory is null
                ? "storage: starting Azurite (in-memory; use --data DIR to keep data)…"
                : $"storage: starting Azurite with data in {Path.GetFullPath(dataDirectory)}…",
            status,
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(AzuriteProcess? Azurite, string? ConnectionString)> StartAzuriteAsync(string? dataDirectory, string message, TextWriter status, CancellationToken cancellationToken)
    {
        status.WriteLine(message);
        var azurite = await AzuriteProcess.StartAsync(dataDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (azurite, azurite.ConnectionString);
    }
}
