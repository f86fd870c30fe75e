using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// Serves inline venue answers by request path and records every request made; a path without an answer fails the way
/// an HTTP error does (<see cref="VenueErrorKind.Http"/>, "HTTP 404"), so the part becomes a note "&lt;part&gt;: HTTP 404".
/// </summary>
internal sealed class ScriptedVenueDocuments(IReadOnlyDictionary<string, string> bodies) : IVenueDocuments
{
    public const string Missing = "HTTP 404";

    public List<VenueRequest> Requests { get; } = [];

    public Task<string> GetAsync(VenueRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return bodies.TryGetValue(request.Path, out var body)
            ? Task.FromResult(body)
            : throw new VenueRequestException(VenueErrorKind.Http, Missing);
    }

    /// <summary>The answers <paramref name="defaults"/> with <paramref name="changes"/> applied (a null body removes the path).</summary>
    public static ScriptedVenueDocuments With(IReadOnlyDictionary<string, string> defaults, params (string Path, string? Body)[] changes)
    {
        var bodies = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (path, body) in changes)
        {
            if (body is null) bodies.Remove(path);
            else bodies[path] = body;
        }

        return new ScriptedVenueDocuments(bodies);
    }

    /// <summary>A request as "venue symbol uri" for comparing whole request lists.</summary>
    public static string Describe(VenueRequest r) => $"{r.Venue} {r.Symbol} {r.Uri.AbsoluteUri}";
}
