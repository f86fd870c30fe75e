using Microsoft.AspNetCore.Http;
using Tapewatch.Core.Time;
using Tapewatch.Core.Rules;

namespace Tapewatch.Infrastructure.Api;

/// <summary>Query validation shared by the read endpoints: known parameters only, ISO dates, from ≤ to, a maximum span.</summary>
public static class ApiQuery
{
    /// <summary>
    /// The Functions key may come as ?code=…: never an unknown parameter. Query names are case-insensitive in ASP.NET Core
    /// (and so for the key checks of the Functions host and the local host), so ?Code=… is the key too.
    /// </summary>
    public const string KeyParameter = "code";

    /// <summary>Rejects parameters the endpoint does not know (400 naming the first one).</summary>
    public static bool TryRejectUnknown(HttpRequest request, IReadOnlyCollection<string> allowed, out IResult? problem)
    {
        foreach (var key in request.Query.Keys)
        {
            if (key.Equals(KeyParameter, StringComparison.OrdinalIgnoreCase) || allowed.Contains(key)) continue;
            problem = Problems.BadRequest(key, allowed.Count == 0
                ? $"Unknown query parameter '{Truncate(key)}': this endpoint takes none."
                : $"Unknown query parameter '{Truncate(key)}': this endpoint takes {string.Join(", ", allowed.Select(a => $"'{a}'"))}.");
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// Parses ?from&amp;to (yyyy-MM-dd). Defaults: to = today (New York), from = to − (defaultDays − 1). Rejects
    /// unknown parameters, from &gt; to, and spans longer than <paramref name="maxDays"/>.
    /// </summary>
    /// <summary>
    /// The read endpoints over a date range (?from&amp;to): the range checked with <see cref="TryGetRange"/>, the rows read
    /// for it, and one JSON body made of them.
    /// </summary>
    public static async Task<IResult> RangeAsync<TRow, TResponse>(
        HttpRequest request,
        TimeProvider time,
        int defaultDays,
        int maxDays,
        Func<DateOnly, DateOnly, CancellationToken, Task<IReadOnlyList<TRow>>> read,
        Func<DateOnly, DateOnly, IReadOnlyList<TRow>, TResponse> respond,
        CancellationToken cancellationToken)
    {
        if (!TryGetRange(request, time, defaultDays, maxDays, out var from, out var to, out var problem)) return problem!;
        var rows = await read(from, to, cancellationToken).ConfigureAwait(false);
        return Problems.Ok(respond(from, to, rows));
    }

    public static bool TryGetRange(HttpRequest request, TimeProvider time, int defaultDays, int maxDays, out DateOnly from, out DateOnly to, out IResult? problem)
    {
        from = to = default;
        if (!TryRejectUnknown(request, ["from", "to"], out problem)) return false;
        if (!QueryParameters.TryGetDate(request, "from", out var f, out problem)) return false;
        if (!QueryParameters.TryGetDate(request, "to", out var t, out problem)) return false;
        var today = NewYorkTime.DateOf(time.GetUtcNow());
        to = t ?? (f is { } ff && ff.AddDays(defaultDays - 1) < today ? ff.AddDays(defaultDays - 1) : today);
        from = f ?? to.AddDays(-(defaultDays - 1));
        if (from > to)
        {
            problem = Problems.BadRequest("from", $"'from' ({from:yyyy-MM-dd}) must not be after 'to' ({to:yyyy-MM-dd}).");
            return false;
        }

        var span = to.DayNumber - from.DayNumber + 1;
        if (span > maxDays)
        {
            problem = Problems.BadRequest(f is null ? "to" : "from", $"The range from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is {span} days; the maximum is {maxDays} days.");
            return false;
        }

        if (from.Year < 2000 || to.Year > today.Year + 1)
        {
            problem = Problems.BadRequest(from.Year < 2000 ? "from" : "to", "Dates must be from the year 2000 to next year.");
            return false;
        }

        return true;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
