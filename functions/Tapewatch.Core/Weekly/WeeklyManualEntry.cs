using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Weekly;

/// <summary>
/// The JSON of a manual week (POST /api/fund-flows/weekly):
/// <c>{"weekEnding":"2025-11-07","totalUsd":-1170000000,"assets":{"Bitcoin":-946000000},"regions":{"United States":-1220000000},"aumUsd":…,"publishedOn":"2025-11-10"}</c>.
/// Money in whole USD. Every problem names the field.
/// </summary>
public static partial class WeeklyManualEntry
{
    public const string Source = "manual-api";

    /// <summary>Largest |amount| accepted (US$1 trillion; the whole market's weekly flows are far below).</summary>
    public const long MaxAbsUsd = 1_000_000_000_000;

    public const int MaxEntries = 50;

    private static readonly Dictionary<string, string> AssetAliases = Aliases(WeeklyReportParser.KnownAssets, new()
    {
        ["btc"] = "Bitcoin", ["eth"] = "Ethereum", ["ether"] = "Ethereum", ["sol"] = "Solana", ["ripple"] = "XRP",
        ["multi asset"] = "Multi-asset", ["multiasset"] = "Multi-asset", ["short bitcoin"] = "Short-bitcoin", ["short btc"] = "Short-bitcoin",
    });

    private static readonly Dictionary<string, string> RegionAliases = Aliases(WeeklyReportParser.KnownRegions, new()
    {
        ["us"] = "United States", ["usa"] = "United States", ["u.s."] = "United States", ["de"] = "Germany", ["ch"] = "Switzerland",
        ["ca"] = "Canada", ["se"] = "Sweden", ["br"] = "Brazil", ["hk"] = "Hong Kong", ["au"] = "Australia", ["nl"] = "Netherlands", ["fr"] = "France",
    });

    /// <summary>Parses and validates; on failure returns null with the offending field and why.</summary>
    public static WeeklyFundFlow? Parse(ReadOnlySpan<byte> json, DateOnly todayUtc, out string? field, out string? detail)
    {
        field = "body";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            detail = $"The body is not valid JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                detail = "The body must be a JSON object.";
                return null;
            }

            DateOnly? weekEnding = null;
            DateOnly? publishedOn = null;
            long? total = null;
            long? aum = null;
            IReadOnlyDictionary<string, long> assets = new Dictionary<string, long>();
            IReadOnlyDictionary<string, long> regions = new Dictionary<string, long>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                field = property.Name;
                if (!seen.Add(property.Name))
                {
                    detail = $"'{property.Name}' is given more than once.";
                    return null;
                }

                var value = property.Value;
                var ok = property.Name switch
                {
                    "weekEnding" => TryDate(value, required: true, out weekEnding, out detail),
                    "publishedOn" => TryDate(value, required: false, out publishedOn, out detail),
                    "totalUsd" => TryUsd(value, required: true, allowNegative: true, out total, out detail),
                    "aumUsd" => TryUsd(value, required: false, allowNegative: false, out aum, out detail),
                    "assets" => TryMap(value, AssetAliases, "asset", ref field, out assets, out detail),
                    "regions" => TryMap(value, RegionAliases, "region", ref field, out regions, out detail),
                    _ => Fail($"Unknown field '{property.Name}'. Expected weekEnding, totalUsd, assets, regions, aumUsd, publishedOn.", out detail),
                };
                if (!ok) return null;
            }

            if (weekEnding is not { } week)
            {
                field = "weekEnding";
                detail = "'weekEnding' is required: the Friday the week ends on (yyyy-MM-dd).";
                return null;
            }

            if (week.DayOfWeek != DayOfWeek.Friday)
            {
                field = "weekEnding";
                detail = $"'weekEnding' must be a Friday; {week:yyyy-MM-dd} is a {week.DayOfWeek}.";
                return null;
            }

            if (week > todayUtc)
            {
                field = "weekEnding";
                detail = $"'weekEnding' {week:yyyy-MM-dd} is in the future.";
                return null;
            }

            if (total is null)
            {
                field = "totalUsd";
                detail = "'totalUsd' is required: the global net flow of the week in whole USD (negative = outflow).";
                return null;
            }

            if (publishedOn is { } p && (p <= week || p > todayUtc))
            {
                field = "publishedOn";
                detail = $"'publishedOn' must be after the week ending {week:yyyy-MM-dd} and not in the future.";
                return null;
            }

            field = null;
            detail = null;
            return new WeeklyFundFlow
            {
                WeekEnding = week,
                PublishedOn = publishedOn,
                TotalUsd = total.Value,
                Assets = assets,
                Regions = regions,
                AumUsd = aum,
                Source = Source,
            };
        }
    }

    private static bool Fail(string message, out string? detail)
    {
        detail = message;
        return false;
    }

    private static bool TryDate(JsonElement value, bool required, out DateOnly? date, out string? detail)
    {
        date = null;
        detail = null;
        if (value.ValueKind == JsonValueKind.Null && !required) return true;
        if (value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d;
            return true;
        }

        return Fail("Expected a date in yyyy-MM-dd form.", out detail);
    }

    private static bool TryUsd(JsonElement value, bool required, bool allowNegative, out long? usd, out string? detail)
    {
        usd = null;
        detail = null;
        if (value.ValueKind == JsonValueKind.Null && !required) return true;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var v))
        {
            return Fail("Expected a whole number of US dollars (e.g. -1170000000 for outflows of US$1.17bn).", out detail);
        }

        if (Math.Abs((decimal)v) > MaxAbsUsd) return Fail($"The amount is beyond ±{MaxAbsUsd} USD; give whole dollars, not cents.", out detail);
        if (!allowNegative && v < 0) return Fail("Expected a non-negative amount.", out detail);
        usd = v;
        return true;
    }

    private static bool TryMap(JsonElement value, Dictionary<string, string> aliases, string what, ref string? field, out IReadOnlyDictionary<string, long> map, out string? detail)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        map = result;
        detail = null;
        if (value.ValueKind == JsonValueKind.Null) return true;
        if (value.ValueKind != JsonValueKind.Object) return Fail($"Expected an object of {what} name → whole USD.", out detail);
        var name = field;
        foreach (var entry in value.EnumerateObject())
        {
            field = $"{name}.{entry.Name}";
            if (result.Count >= MaxEntries) return Fail($"At most {MaxEntries} {what} entries.", out detail);
            if (!NamePattern().IsMatch(entry.Name)) return Fail($"'{entry.Name}' is not a valid {what} name (letters, digits, spaces, '-', '.', up to 40 characters).", out detail);
            var key = aliases.TryGetValue(entry.Name.Trim().ToLowerInvariant(), out var canonical) ? canonical : entry.Name.Trim();
            if (!TryUsd(entry.Value, required: true, allowNegative: true, out var usd, out detail)) return false;
            if (!result.TryAdd(key, usd!.Value)) return Fail($"'{entry.Name}' repeats {what} '{key}'.", out detail);
        }

        field = name;
        return true;
    }

    private static Dictionary<string, string> Aliases(IEnumerable<string> canonical, Dictionary<string, string> extra)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in canonical) d[c.ToLowerInvariant()] = c;
        foreach (var (k, v) in extra) d[k] = v;
        return d;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9 .&'()-]{0,39}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex NamePattern();
}
