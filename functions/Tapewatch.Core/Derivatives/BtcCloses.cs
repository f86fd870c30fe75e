using System.Globalization;
using System.Text.Json;
using Tapewatch.Core.Time;

namespace Tapewatch.Core.Derivatives;

/// <summary>
/// BTC/USD at the 16:00 New York close from a public exchange's hourly candles (Coinbase Exchange
/// /products/BTC-USD/candles: [time s, low, high, open, close, volume], newest first): the close of the candle
/// that ends at the session's close.
/// </summary>
public static class BtcCloses
{
    /// <summary>Coinbase returns at most 300 candles per request.</summary>
    public const int MaxCandlesPerRequest = 300;

    public sealed record Candle(DateTimeOffset StartUtc, decimal Close);

    public static VenueRequest Request(BtcCloseOptions options, DateTimeOffset startUtc, DateTimeOffset endUtc) => new(
        "coinbase",
        options.BaseUrl,
        $"/products/{options.Product}/candles",
        [
            new("granularity", "3600"),
            new("start", startUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            new("end", endUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        ],
        "1h");

    public static IReadOnlyList<Candle> ParseCandles(string json)
    {
        using var doc = VenueJson.Parse(json, "coinbase candles");
        if (doc.RootElement.ValueKind == JsonValueKind.Object) throw new VenueFormatException($"coinbase candles: {VenueJson.String(doc.RootElement, "message") ?? "error"}");
        var candles = new List<Candle>();
        foreach (var c in VenueJson.Array(doc.RootElement, "coinbase candles").EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Array || c.GetArrayLength() < 5) throw new VenueFormatException("coinbase candles: expected [time, low, high, open, close, volume]");
            var time = VenueJson.Value(c[0], "time") ?? throw new VenueFormatException("coinbase candles: no time");
            var close = VenueJson.Value(c[4], "close") ?? throw new VenueFormatException("coinbase candles: no close");

            // Stored closes are divided by later (forward returns): a close of 1e-28 or 0 is a broken answer, not a price.
            if (!VenueBounds.IsPrice(close)) throw new VenueFormatException(string.Create(CultureInfo.InvariantCulture, $"coinbase candles: close {close} is not a plausible BTC price"));
            candles.Add(new Candle(VenueJson.FromUnixSeconds(decimal.Truncate(time), "coinbase candles time"), close));
        }

        return candles.OrderBy(c => c.StartUtc).ToList();
    }

    /// <summary>The close of each session whose closing hour is among the candles.</summary>
    public static IReadOnlyList<BtcClose> ClosesOf(IEnumerable<DateOnly> sessions, IReadOnlyList<Candle> candles, string source)
    {
        var byStart = candles.GroupBy(c => c.StartUtc).ToDictionary(g => g.Key, g => g.Last().Close);
        var result = new List<BtcClose>();
        foreach (var s in sessions)
        {
            if (byStart.TryGetValue(NewYorkTime.CloseUtc(s).AddHours(-1), out var close)) result.Add(new BtcClose(s, close, source));
        }

        return result;
    }

    /// <summary>Request windows (≤ 300 hours each) covering the closing hours of <paramref name="sessions"/>.</summary>
    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Windows(IReadOnlyList<DateOnly> sessions)
    {
        var hours = sessions.Select(s => NewYorkTime.CloseUtc(s).AddHours(-1)).Order().ToList();
        var i = 0;
        while (i < hours.Count)
        {
            var start = hours[i];
            var limit = start.AddHours(MaxCandlesPerRequest - 1);
            var j = i;
            while (j + 1 < hours.Count && hours[j + 1] <= limit) j++;
            yield return (start, hours[j].AddHours(1));
            i = j + 1;
        }
    }
}
