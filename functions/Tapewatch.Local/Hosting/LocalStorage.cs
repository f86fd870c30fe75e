using Microsoft.Extensions.Configuration;
using Tapewatch.Core.Hosting;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// Storage for a CLI command: the configured one (<c>Tapewatch__Storage__*</c> or a flag), else a private
/// Azurite (in-memory, or in <c>--data DIR</c>) stopped when this is disposed.
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
        if (IsConfigured(configuration)) return new LocalStorage(null, new Dictionary<string, string?>());
        status.WriteLine(dataDirectory is null
            ? "storage: none configured; starting a private Azurite (in-memory: data is discarded on exit; use --data DIR or Tapewatch__Storage__ConnectionString to keep it)…"
            : $"storage: starting Azurite with data in {Path.GetFullPath(dataDirectory)}…");
        var azurite = await AzuriteProcess.StartAsync(dataDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new LocalStorage(azurite, new Dictionary<string, string?> { ["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString });
    }

    public async ValueTask DisposeAsync()
    {
        if (Azurite is not null) await Azurite.DisposeAsync().ConfigureAwait(false);
    }
}
