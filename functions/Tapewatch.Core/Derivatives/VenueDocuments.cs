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
