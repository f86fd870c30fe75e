using System.Globalization;
using System.Net;
using System.Text;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>
/// Base of the typed HTTP clients (one per source, each with its own resilience pipeline). Maps status codes to
/// <see cref="VenueErrorKind"/>; 401/403/451 arrive here unretried (the pipeline does not handle them).
/// </summary>
public abstract class VenueHttpClient(HttpClient http) : IVenueDocuments
{
    /// <summary>Responses larger than this are refused (book summaries are ~100 KB).</summary>
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    public async Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(request.Uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new VenueRequestException(VenueErrorKind.Network, $"{request}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is TimeoutException or Polly.Timeout.TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new VenueRequestException(VenueErrorKind.Network, $"{request}: timed out", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons)
            {
                var hint = status == 451 ? " (region restricted: Binance refuses US cloud regions; disable the venue or run elsewhere)" : " (blocked; check region/key)";
                throw new VenueRequestException(VenueErrorKind.Blocked, string.Create(CultureInfo.InvariantCulture, $"{request}: HTTP {status}{hint}"));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new VenueRequestException(VenueErrorKind.Http, string.Create(CultureInfo.InvariantCulture, $"{request}: HTTP {status} {response.ReasonPhrase}"));
            }

            if (response.Content.Headers.ContentLength is > MaxResponseBytes)
            {
                throw new VenueRequestException(VenueErrorKind.Malformed, $"{request}: response too large");
            }

            try
            {
                // Capped as read: a chunked answer has no Content-Length to refuse up front.
                return await CappedBody.ReadTextAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false)
                    ?? throw new VenueRequestException(VenueErrorKind.Malformed, $"{request}: response too large");
            }
            catch (HttpRequestException ex)
            {
                throw new VenueRequestException(VenueErrorKind.Network, $"{request}: {ex.Message}", ex);
            }
        }
    }
}

public sealed class BinanceHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class OkxHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class BybitHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class DeribitHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class KrakenHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class CoinalyzeHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class CftcHttpClient(HttpClient http) : VenueHttpClient(http);

public sealed class CoinbaseHttpClient(HttpClient http) : VenueHttpClient(http);

/// <summary>
/// Saved responses in a folder laid out like tests/data/derivatives/: the request's stem, or the stem followed by
/// "_…" (e.g. "bybit_v5_market_open-interest_BTCUSDT_1h.json").
/// </summary>
public sealed class RecordedVenueDocuments(string directory) : IVenueDocuments
{
    private readonly string[] _files = System.IO.Directory.Exists(directory)
        ? System.IO.Directory.GetFiles(directory, "*.json").Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
        : [];

    public string Directory { get; } = directory;

    /// <summary>Venues with at least one recording in the folder.</summary>
    public bool HasVenue(string venue) => _files.Any(f => f.StartsWith(venue + "_", StringComparison.OrdinalIgnoreCase));

    public string? Find(VenueRequest request)
    {
        foreach (var stem in request.RecordedStems())
        {
            var exact = _files.FirstOrDefault(f => string.Equals(f, stem + ".json", StringComparison.OrdinalIgnoreCase));
            if (exact is not null) return System.IO.Path.Combine(Directory, exact);
            var prefixed = _files.FirstOrDefault(f => f.StartsWith(stem + "_", StringComparison.OrdinalIgnoreCase));
            if (prefixed is not null) return System.IO.Path.Combine(Directory, prefixed);
        }

        return null;
    }

    public async Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken)
    {
        var path = Find(request) ?? throw new VenueRequestException(VenueErrorKind.NotRecorded, $"{request}: no recording ({request.RecordedStems().First()}.json)");
        return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
