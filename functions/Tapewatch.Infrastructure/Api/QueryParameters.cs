using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tapewatch.Infrastructure.Api;

/// <summary>Parses query parameters; a bad value becomes a 400 problem naming the parameter.</summary>
public static class QueryParameters
{
    public static bool TryGetDate(HttpRequest request, string name, out DateOnly? value, out IResult? problem)
    {
        value = null;
        problem = null;
        var raw = request.Query[name];
        if (raw.Count == 0 || string.IsNullOrWhiteSpace(raw[0])) return true;
        if (raw.Count > 1)
        {
            problem = Problems.BadRequest(name, $"'{name}' was given {raw.Count} times; give it once.");
            return false;
        }

        if (DateOnly.TryParseExact(raw[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = d;
            return true;
        }

        problem = Problems.BadRequest(name, $"'{name}' must be a date in yyyy-MM-dd form.");
        return false;
    }

    public static bool TryGetInt(HttpRequest request, string name, int min, int max, out int? value, out IResult? problem)
    {
        value = null;
        problem = null;
        var raw = request.Query[name];
        if (raw.Count == 0 || string.IsNullOrWhiteSpace(raw[0])) return true;
        if (raw.Count == 1 && int.TryParse(raw[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max)
        {
            value = i;
            return true;
        }

        problem = Problems.BadRequest(name, $"'{name}' must be a whole number from {min} to {max}.");
        return false;
    }
}
