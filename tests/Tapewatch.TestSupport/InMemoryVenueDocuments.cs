using Tapewatch.Core.Derivatives;

namespace Tapewatch.TestSupport;

/// <summary>Serves a venue's documents from memory, by recording name (as <see cref="RecordedVenueDocuments"/> does from a folder).</summary>
public sealed class InMemoryVenueDocuments(IReadOnlyDictionary<string, string> documents) : IVenueDocuments
{
    public Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken)
    {
        foreach (var stem in request.RecordedStems())
        {
            var match = documents.Keys.Order(StringComparer.Ordinal).FirstOrDefault(k => string.Equals(k, stem, StringComparison.OrdinalIgnoreCase) || k.StartsWith(stem + "_", StringComparison.OrdinalIgnoreCase));
            if (match is not null) return Task.FromResult(documents[match]);
        }

        throw new VenueRequestException(VenueErrorKind.NotRecorded, $"{request}: not in the bundle");
    }
}
