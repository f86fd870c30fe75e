using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// What a parser claims about its JSON input, checked by reading the input independently of the parser: "the record I
/// returned came from one element of <c>$[*]</c>, whose <c>fundingRate</c> is 0.0001 and whose <c>fundingTime</c> is …".
/// </summary>
public abstract record JsonClaim
{
    /// <summary>How many returned values the claim checks.</summary>
    public abstract int Values { get; }

    /// <summary>Null when the input bears the claim out, else what is wrong.</summary>
    public abstract string? Violation(JsonElement root);
}

/// <summary>Some element at <paramref name="Paths"/> (alternatives separated by <c>|</c>) satisfies every field at once.</summary>
public sealed record ElementClaim(string Paths, IReadOnlyList<FieldClaim> Fields) : JsonClaim
{
    public override int Values => Fields.Count;

    public override string? Violation(JsonElement root)
    {
        var elements = Paths.Split('|').SelectMany(p => JsonPath.Select(root, root, p.Trim())).ToList();
        if (elements.Any(e => Fields.All(f => f.Holds(new JsonNav(e, root))))) return null;
        var closest = elements.Select(e => (Element: e, Failing: Fields.Where(f => !f.Holds(new JsonNav(e, root))).ToList())).OrderBy(x => x.Failing.Count).FirstOrDefault();
        var why = closest.Failing is null ? $"no element at {Paths}" : $"nearest element {Show(closest.Element)} fails {string.Join(", ", closest.Failing.Select(f => f.Description))}";
        return $"no element of {Paths} has {string.Join(" and ", Fields.Select(f => f.Description))} ({why})";
    }

    private static string Show(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw.Length > 200 ? raw[..200] + "…" : raw;
    }
}

/// <summary>A fact about the whole document (the latest time of a list, an interval implied by spacing).</summary>
public sealed record DocumentClaim(string Description, Func<JsonElement, bool> Holds, int ValueCount = 1) : JsonClaim
{
    public override int Values => ValueCount;

    public override string? Violation(JsonElement root) => Holds(root) ? null : Description;
}

/// <summary>One returned field and where in the element it must come from.</summary>
public sealed record FieldClaim(string Description, Func<JsonNav, bool> Holds);

/// <summary>An element being checked and the document root, with the venues' wire conventions for reading values.</summary>
public readonly record struct JsonNav(JsonElement Element, JsonElement Root)
{
    /// <summary>The value at a path relative to the element (or from the root when it starts with <c>$</c>).</summary>
    public JsonElement? At(string path) => JsonPath.Select(Root, Element, path).Cast<JsonElement?>().FirstOrDefault();

    /// <summary>A number from a JSON number or a numeric string; <see cref="WireNumber.Absent"/> for missing, null or "".</summary>
    public WireNumber Number(string path) => WireNumber.Read(At(path));

    /// <summary>A string value (trimmed); null when missing, not a string, or empty.</summary>
    public string? Text(string path) => At(path) is { ValueKind: JsonValueKind.String } s && s.GetString()!.Trim() is { Length: > 0 } t ? t : null;
}

/// <summary>A number as venues send it: a JSON number, a numeric string, or nothing (missing, null, "").</summary>
public readonly record struct WireNumber(bool IsAbsent, decimal? Value)
{
    public static readonly WireNumber Absent = new(true, null);

    public static readonly WireNumber Unreadable = new(false, null);

    public static WireNumber Read(JsonElement? element)
    {
        if (element is not { } e) return Absent;
        switch (e.ValueKind)
        {
            case JsonValueKind.Null:
                return Absent;
            case JsonValueKind.Number:
                if (decimal.TryParse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return new(false, d);
                return double.TryParse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && Math.Abs(x) < 7.9e28 ? new(false, (decimal)x) : Unreadable;
            case JsonValueKind.String:
                var s = e.GetString()!.Trim();
                if (s.Length == 0) return Absent;
                return decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? new(false, p) : Unreadable;
            default:
                return Unreadable;
        }
    }
}

/// <summary>The wire conventions of time fields.</summary>
public enum TimeUnit
{
    /// <summary>Unix milliseconds; zero or negative means "none" (venues send 0 for "no next funding").</summary>
    Milliseconds,

    /// <summary>Unix seconds (candles).</summary>
    Seconds,

    /// <summary>Unix microseconds (Deribit's usOut).</summary>
    Microseconds,
}

/// <summary>The field claims the targets declare (<c>Num("fundingRate", f.Rate)</c>, <c>Time("fundingTime", f.AtUtc)</c>, …).</summary>
public static class Field
{
    /// <summary>The number at <paramref name="path"/> divided by <paramref name="scale"/> (a USD figure read as US$ millions: 1,000,000); null = absent.</summary>
    public static FieldClaim Num(string path, decimal? value, decimal scale = 1m) => new(
        scale == 1m ? $"{path} = {Show(value)}" : $"{path} / {scale} = {Show(value)}",
        n => n.Number(path) is var w && (value is null ? w.IsAbsent : w.Value is { } d && d / scale == value));

    /// <summary>A time at <paramref name="path"/> in <paramref name="unit"/>, fractions truncated; null = absent (or ≤ 0 for milliseconds).</summary>
    public static FieldClaim Time(string path, DateTimeOffset? value, TimeUnit unit = TimeUnit.Milliseconds) => new(
        $"{path} = {(value is { } v ? v.ToString("O", CultureInfo.InvariantCulture) : "none")} ({unit})",
        n => n.Number(path) is var w && (value is null ? w.IsAbsent || (unit == TimeUnit.Milliseconds && w.Value <= 0) : w.Value is { } d && Instant(d, unit) == value));

    /// <summary>The first of <paramref name="paths"/> that holds a time (ms &gt; 0) gives <paramref name="value"/> (a documented fall-back order).</summary>
    public static FieldClaim FirstTime(string[] paths, DateTimeOffset? value) => new(
        $"first of {string.Join(", ", paths)} = {Show(value)}",
        n =>
        {
            foreach (var p in paths)
            {
                if (n.Number(p).Value is { } d && d > 0) return Instant(d, TimeUnit.Milliseconds) == value;
            }

            return value is null;
        });

    /// <summary>An ISO 8601 time string at the first of <paramref name="paths"/> that parses.</summary>
    public static FieldClaim IsoTime(string[] paths, DateTimeOffset value) => new(
        $"first ISO time of {string.Join(", ", paths)} = {Show(value)}",
        n =>
        {
            foreach (var p in paths)
            {
                if (n.Text(p) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime() == value;
            }

            return false;
        });

    /// <summary>The string at <paramref name="path"/>, trimmed; null = absent or empty.</summary>
    public static FieldClaim Text(string path, string? value, bool ignoreCase = false) => new(
        $"{path} = \"{value}\"",
        n => string.Equals(n.Text(path), value?.Trim() is { Length: > 0 } v ? v : null, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    /// <summary>The date of the ISO timestamp at <paramref name="path"/> (UTC), e.g. "2026-01-06T00:00:00.000" → 2026-01-06.</summary>
    public static FieldClaim Date(string path, DateOnly value) => new(
        $"{path} has the date {value:yyyy-MM-dd}",
        n => n.Text(path) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) && DateOnly.FromDateTime(d) == value);

    /// <summary>A value derived from the element's fields by a documented transform (e.g. USD value ÷ open interest = price).</summary>
    public static FieldClaim Derived(string description, decimal? value, Func<JsonNav, decimal?> compute) => new(
        $"{description} = {Show(value)}",
        n =>
        {
            try
            {
                return compute(n) == value;
            }
            catch (ArithmeticException)
            {
                return false;
            }
        });

    /// <summary>Any other documented relation between the element and a returned value.</summary>
    public static FieldClaim Is(string description, Func<JsonNav, bool> holds) => new(description, holds);

    public static DateTimeOffset? Instant(decimal value, TimeUnit unit)
    {
        var ms = unit switch
        {
            TimeUnit.Seconds => decimal.Truncate(value) * 1000m,
            TimeUnit.Microseconds => decimal.Truncate(value / 1000m),
            _ => decimal.Truncate(value),
        };
        return ms is >= -62_135_596_800_000m and <= 253_402_300_799_999m ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
    }

    private static string Show(decimal? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Show(DateTimeOffset? v) => v?.ToString("O", CultureInfo.InvariantCulture) ?? "none";
}

/// <summary>Document-level claims.</summary>
public static class Document
{
    /// <summary>The returned time is the latest of the times at <paramref name="path"/> (a list read by time, not position).</summary>
    public static DocumentClaim Latest(string path, DateTimeOffset value, TimeUnit unit = TimeUnit.Milliseconds) => new(
        $"{value:O} is the latest of {path}",
        root => Times(root, path, unit).DefaultIfEmpty().Max() == value);

    /// <summary>
    /// A funding interval implied by settlement times: the spacing of two consecutive times at <paramref name="path"/>
    /// rounded to whole hours (the median spacing, but any spacing will do for the oracle), or the documented 8 h default.
    /// </summary>
    public static DocumentClaim IntervalFromSpacing(string path, TimeSpan value) => new(
        $"interval {value.TotalHours} h is 8 h or a spacing of {path}",
        root =>
        {
            if (value == TimeSpan.FromHours(8)) return true;
            var times = Times(root, path, TimeUnit.Milliseconds).Order().ToList();
            return times.Zip(times.Skip(1), (a, b) => Math.Round((b - a).TotalHours)).Any(h => h >= 1 && TimeSpan.FromHours(h) == value);
        });

    private static IEnumerable<DateTimeOffset> Times(JsonElement root, string path, TimeUnit unit) =>
        path.Split('|').SelectMany(p => JsonPath.Select(root, root, p.Trim()))
            .Select(e => WireNumber.Read(e).Value)
            .Where(v => v is > 0)
            .Select(v => Field.Instant(v!.Value, unit))
            .OfType<DateTimeOffset>();
}

/// <summary>A small path language: <c>$</c> root, <c>.name</c>, <c>[n]</c>, <c>[*]</c>; a path not starting with <c>$</c> is relative.</summary>
public static class JsonPath
{
    public static IEnumerable<JsonElement> Select(JsonElement root, JsonElement current, string path)
    {
        IEnumerable<JsonElement> nodes = [path.StartsWith('$') ? root : current];
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                var index = path[(i + 1)..close];
                nodes = index == "*"
                    ? nodes.Where(n => n.ValueKind == JsonValueKind.Array).SelectMany(n => n.EnumerateArray()).ToList()
                    : nodes.Where(n => n.ValueKind == JsonValueKind.Array && n.GetArrayLength() > int.Parse(index, CultureInfo.InvariantCulture)).Select(n => n[int.Parse(index, CultureInfo.InvariantCulture)]).ToList();
                i = close + 1;
                continue;
            }

            var end = path.IndexOfAny(['.', '['], i);
            if (end < 0) end = path.Length;
            var name = path[i..end];
            nodes = nodes.Where(n => n.ValueKind == JsonValueKind.Object && n.TryGetProperty(name, out _)).Select(n => n.GetProperty(name)).ToList();
            i = end;
        }

        return nodes;
    }
}

/// <summary>Checks claims against a JSON text.</summary>
public static class JsonOracle
{
    public static FuzzVerdict Check(string json, IEnumerable<JsonClaim> claims)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        var violations = new List<string>();
        var values = 0;
        foreach (var claim in claims)
        {
            values += claim.Values;
            if (claim.Violation(doc.RootElement) is { } v) violations.Add(v);
        }

        return FuzzVerdict.Parsed(values, violations);
    }
}
