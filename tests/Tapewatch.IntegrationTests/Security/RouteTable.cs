using Microsoft.Azure.Functions.Worker;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>One HTTP route of the app as it must be: method, path below /api, and who may call it.</summary>
internal sealed record ExpectedRoute(string Method, string Path, AuthorizationLevel Level)
{
    public bool IsPrivate => Level != AuthorizationLevel.Anonymous;

    public override string ToString() => $"{Method} /api/{Path} ({Level})";
}

/// <summary>
/// The app's HTTP surface, written by hand from the security policy (docs/design.md, DEVELOPERS.md), NOT derived from the
/// code: reads need a function key, writes (POST/PUT/DELETE) the admin key, and only /api/health and the dashboard's static
/// assets are anonymous. Both hosts are checked against this list (<see cref="RouteTableTests"/>, <see cref="LocalHostKeyTests"/>,
/// <see cref="FunctionTriggerTests"/>). Adding a route means adding a line here, on purpose.
/// </summary>
internal static class RouteTable
{
    public static IReadOnlyList<ExpectedRoute> All { get; } =
    [
        // Public: no data, or only reachability.
        new("GET", "health", AuthorizationLevel.Anonymous),
        new("GET", "dashboard/assets/{name}", AuthorizationLevel.Anonymous),

        // Reads: a function key.
        new("GET", "regime", AuthorizationLevel.Function),
        new("GET", "regime/history", AuthorizationLevel.Function),
        new("GET", "flows", AuthorizationLevel.Function),
        new("GET", "fund-flows/weekly", AuthorizationLevel.Function),
        new("GET", "derivatives", AuthorizationLevel.Function),
        new("GET", "silences", AuthorizationLevel.Function),
        new("GET", "openapi.json", AuthorizationLevel.Function),
        new("GET", "dashboard", AuthorizationLevel.Function),

        // Writes: the admin key.
        new("POST", "evaluations", AuthorizationLevel.Admin),
        new("POST", "silences", AuthorizationLevel.Admin),
        new("DELETE", "silences/{id}", AuthorizationLevel.Admin),
        new("POST", "fund-flows/weekly", AuthorizationLevel.Admin),
        new("POST", "flows/backfill", AuthorizationLevel.Admin),
    ];

    public static IReadOnlyList<ExpectedRoute> Private => [.. All.Where(r => r.IsPrivate)];

    public static IReadOnlyList<ExpectedRoute> Anonymous => [.. All.Where(r => !r.IsPrivate)];

    /// <summary>Sorted "METHOD path Level" lines, for set comparisons with readable failures.</summary>
    public static IReadOnlyList<string> Lines(IEnumerable<ExpectedRoute> routes) =>
        [.. routes.Select(r => $"{r.Method.ToUpperInvariant()} {r.Path} {r.Level}").Order(StringComparer.Ordinal)];
}
