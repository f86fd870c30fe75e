using System.Globalization;
using System.Net;
using System.Text;

namespace Tapewatch.Core.Derivatives;

/// <summary>
/// One request to a venue: an absolute base URL, a path and query, and how a saved response of it is named
/// (<c>&lt;venue&gt;_&lt;path with / as _&gt;_&lt;symbol&gt;[_…].json</c>, plus aliases such as OKX's websocket channel).
/// </summary>
public sealed record VenueRequest(string Venue, Uri BaseUrl, string Path, IReadOnlyList<KeyValuePair<string, string>> Query, string Symbol)
{
    /// <summary>Other path spellings a recording may use (e.g. "ws/funding-rate" for OKX pushes).</summary>
    public IReadOnlyList<string> RecordedPathAliases { get; init; } = [];

    public Uri Uri
    {
        get
        {
            var sb = new StringBuilder(Path.TrimStart('/'));
            for (var i = 0; i < Query.Count; i++)
            {
                sb.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
            }

            var baseText = BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl.AbsoluteUri : BaseUrl.AbsoluteUri + "/";
            return new Uri(new Uri(baseText), sb.ToString());
        }
    }

    /// <summary>File-name stems a recording of this request may have (without ".json").</summary>
    public IEnumerable<string> RecordedStems()
    {
        foreach (var path in new[] { Path }.Concat(RecordedPathAliases))
        {
            yield return $"{Venue}_{path.Trim('/').Replace('/', '_')}_{Symbol}";
        }
    }

    public override string ToString() => Venue + " " + Path;
}

/// <summary>Why a venue request failed.</summary>
public enum VenueErrorKind
{
    /// <summary>401/403/451: the venue refuses this client (region, key). Reported, never retried.</summary>
    Blocked,

    /// <summary>Other non-success status after the resilience pipeline gave up.</summary>
    Http,

    /// <summary>Connection failure or timeout.</summary>
    Network,

    /// <summary>The body is not what the venue documents.</summary>
    Malformed,

    /// <summary>A recording of this request is not in the folder.</summary>
    NotRecorded,
}

public sealed class VenueRequestException(VenueErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public VenueErrorKind Kind { get; } = kind;
}

/// <summary>Where venue documents come from: the venue over HTTP, or saved responses in a folder.</summary>
public interface IVenueDocuments
{
    Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken);
}

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
                return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
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
