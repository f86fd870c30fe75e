using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>A venue as the ingestion reads it: its name, whether its settings switch it on, and its own live client.</summary>
public interface IDerivativesVenueSource
{
    string Name { get; }

    bool IsEnabled { get; }

    /// <summary>Why an optional venue is not read (Coinalyze without a key), added to the reading's notes; null otherwise.</summary>
    string? SkippedNote { get; }

    /// <summary>Reads the venue from <paramref name="recorded"/> when given, otherwise from its live client.</summary>
    Task<VenueReading> ReadAsync(IVenueDocuments? recorded, CancellationToken cancellationToken);
}

/// <summary>One venue with its typed HTTP client; registered once per venue by <see cref="DerivativesServiceCollectionExtensions"/>.</summary>
public sealed class DerivativesVenueSource<TVenue, TClient>(
    TVenue venue,
    TClient live,
    IOptions<DerivativesOptions> options,
    Func<DerivativesOptions, bool> isEnabled,
    Func<DerivativesOptions, string?>? skippedNote = null) : IDerivativesVenueSource
    where TVenue : DerivativesVenue
    where TClient : VenueHttpClient
{
    public string Name => venue.Name;

    public bool IsEnabled => isEnabled(options.Value);

    public string? SkippedNote => skippedNote?.Invoke(options.Value);

    public Task<VenueReading> ReadAsync(IVenueDocuments? recorded, CancellationToken cancellationToken) =>
        venue.ReadAsync(recorded ?? live, options.Value, cancellationToken);
}
