using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Core.Derivatives;

/// <summary>Thrown when a venue answers something we cannot use; the message is safe to show.</summary>
public sealed class VenueFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Lenient readers for venue JSON: numbers arrive as strings ("0.00007995"), as numbers, or as "" (OKX: empty
/// string = no value); timestamps in milliseconds, as strings or numbers, with a few ms of jitter.
/// </summary>
public static class VenueJson
{
    public static JsonDocument Parse(string text, string what)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new VenueFormatException($"{what}: not valid JSON ({ex.Message})", ex);
        }
        catch (ArgumentException ex)
        {
            // Text that cannot be UTF-8 (a lone surrogate): not JSON either.
            throw new VenueFormatException($"{what}: not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>A decimal from a string or number property; null when absent, null or "".</summary>
    public static decimal? Decimal(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
        return Value(v, name);
    }

    /// <summary>A decimal from a string or number element; null for null or "".</summary>
    public static decimal? Value(JsonElement v, string name)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                if (v.TryGetDecimal(out var d)) return d;
                if (v.TryGetDouble(out var dbl) && double.IsFinite(dbl) && Math.Abs(dbl) < MaxDecimalAsDouble) return (decimal)dbl;
                throw new VenueFormatException($"{name}: number out of range ({v.GetRawText()})");
            case JsonValueKind.String:
                var s = v.GetString()!.Trim();
                if (s.Length == 0) return null;
                if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)) return p;
                throw new VenueFormatException($"{name}: not a number (\"{Truncate(s)}\")");
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                throw new VenueFormatException($"{name}: expected a number, got {v.ValueKind}");
        }
    }

    public static decimal RequiredDecimal(JsonElement obj, string name, string what) =>
        Decimal(obj, name) ?? throw new VenueFormatException($"{what}: field '{name}' is missing or empty");

    /// <summary>A millisecond Unix timestamp from a string or number property.</summary>
    public static DateTimeOffset? Millis(JsonElement obj, string name)
    {
        var d = Decimal(obj, name);
        if (d is null || d <= 0) return null;
        return FromUnixMilliseconds(d.Value, name);
    }

    /// <summary>A Unix time in milliseconds; a value no calendar date has is a format error, never an overflow.</summary>
    public static DateTimeOffset FromUnixMilliseconds(decimal milliseconds, string name) =>
        milliseconds is >= MinUnixMilliseconds and <= MaxUnixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds)
            : throw new VenueFormatException($"{name}: timestamp out of range ({milliseconds})");

    /// <summary>A Unix time in seconds (see <see cref="FromUnixMilliseconds"/>).</summary>
    public static DateTimeOffset FromUnixSeconds(decimal seconds, string name) =>
        seconds is >= MinUnixMilliseconds / 1000 and <= MaxUnixMilliseconds / 1000
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : throw new VenueFormatException($"{name}: timestamp out of range ({seconds})");

    /// <summary>A count that must be a whole number within long (open interest in contracts).</summary>
    public static long WholeNumber(decimal value, string name) =>
        value == decimal.Truncate(value) && value is >= long.MinValue and <= long.MaxValue
            ? (long)value
            : throw new VenueFormatException($"{name}: expected a whole number, got {value}");

    private const decimal MinUnixMilliseconds = -62_135_596_800_000m;
    private const decimal MaxUnixMilliseconds = 253_402_300_799_999m;
    private const double MaxDecimalAsDouble = 7.9e28;

    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    public static JsonElement Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array ? element : throw new VenueFormatException($"{what}: expected a list, got {element.ValueKind}");

    public static JsonElement Property(JsonElement obj, string name, string what) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : throw new VenueFormatException($"{what}: field '{name}' is missing");

    /// <summary>The funding interval implied by a list of settlement times (median spacing, rounded to the hour).</summary>
    public static TimeSpan? IntervalFrom(IEnumerable<DateTimeOffset> times)
    {
        var sorted = times.Order().ToList();
        if (sorted.Count < 2) return null;
        var gaps = sorted.Zip(sorted.Skip(1), (a, b) => b - a).Where(g => g > TimeSpan.Zero).Order().ToList();
        if (gaps.Count == 0) return null;
        var median = gaps[gaps.Count / 2];
        var hours = Math.Round(median.TotalHours);
        return hours >= 1 ? TimeSpan.FromHours(hours) : null;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
