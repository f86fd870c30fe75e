using Microsoft.Extensions.Configuration;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// Storage for a CLI command: the configured one (<c>Tapewatch__Storage__*</c> or a flag), else the Azurite of a
/// running <c>./tapewatch run</c> (see <see cref="LocalHostState"/>), else a private Azurite (in-memory, or in
/// <c>--data DIR</c>) stopped when this is disposed.
/// </summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    private LocalStorage(AzuriteProcess? azurite, IReadOnlyDictionary<string, string?> overrides)
    {
        Azurite = azurite;
        Overrides = overrides;
    }

    public AzuriteProcess? Azurite { get; }

    /// <summary>Configuration entries to lay over the command's configuration (empty when storage was configured).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; }

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:ConnectionString"])
        || !string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:TableServiceUri"]);

    /// <summary>Throws <see cref="AzuriteUnavailableException"/> with the reason when Azurite is needed and cannot start.</summary>
    public static async Task<LocalStorage> OpenAsync(IConfiguration configuration, string? dataDirectory, TextWriter status, CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration)) return Configured();
        if (dataDirectory is null && LocalHostState.ReadLive() is { } running)
        {
            status.WriteLine($"storage: using the running local host's Azurite (pid {running.ProcessId}, http://localhost:{running.Port})");
            return new LocalStorage(null, ConnectionOverride(running.ConnectionString));
        }

        return await StartAzuriteAsync(
            dataDirectory,
            dataDirectory is null
                ? "storage: none configured and no local host running; starting a private Azurite (in-memory: data is discarded on exit; use --data DIR or Tapewatch__Storage__ConnectionString to keep it)…"
                : $"storage: starting Azurite with data in {Path.GetFullPath(dataDirectory)}…",
            status,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For the local host: the configured storage, else its own Azurite (never another host's).</summary>
    public static async Task<LocalStorage> StartOwnAsync(IConfiguration configuration, string? dataDirectory, TextWriter status, CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration)) return Configured();
        return await StartAzuriteAsync(
            dataDirectory,
            dataDirectory is null
                ? "storage: starting Azurite (in-memory; use --data DIR to keep data)…"
                : $"storage: starting Azurite with data in {Path.GetFullPath(dataDirectory)}…",
            status,
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Azurite is not null) await Azurite.DisposeAsync().ConfigureAwait(false);
    }

    private static LocalStorage Configured() => new(null, new Dictionary<string, string?>());

    private static Dictionary<string, string?> ConnectionOverride(string connectionString) =>
        new() { ["Tapewatch:Storage:ConnectionString"] = connectionString };

    private static async Task<LocalStorage> StartAzuriteAsync(string? dataDirectory, string message, TextWriter status, CancellationToken cancellationToken)
    {
        status.WriteLine(message);
        var azurite = await AzuriteProcess.StartAsync(dataDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new LocalStorage(azurite, ConnectionOverride(azurite.ConnectionString));
    }
}
