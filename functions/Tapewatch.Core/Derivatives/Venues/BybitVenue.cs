using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// Bybit v5, linear BTCUSDT: funding history and hourly open interest (both newest first; BTC for linear), and the
/// ticker for mark/index price. Errors arrive as retCode ≠ 0 with HTTP 200.
/// </summary>
public sealed class BybitVenue : DerivativesVenue
{
    public override string Name => "bybit";

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var baseUrl = options.Bybit.BaseUrl;
        var parts = new Parts(Name);
        var funding = await parts.TryAsync("funding/history", async () => ParseFundingHistory(await documents.GetAsync(Request(baseUrl, "/v5/market/funding/history", "BTCUSDT", ("category", "linear"), ("symbol", "BTCUSDT"), ("limit", "12")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var oi = await parts.TryAsync("open-interest", async () => ParseOpenInterest(await documents.GetAsync(Request(baseUrl, "/v5/market/open-interest", "BTCUSDT", ("category", "linear"), ("symbol", "BTCUSDT"), ("intervalTime", "1h"), ("limit", "200")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var ticker = await parts.TryAsync("tickers", async () => ParseTicker(await documents.GetAsync(Request(baseUrl, "/v5/market/tickers", "BTCUSDT", ("category", "linear"), ("symbol", "BTCUSDT")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

        var history = parts.Plausible(oi, "open-interest");
        var latest = history.Count > 0 ? history[^1] : null;
        var index = parts.Plausible(ticker?.IndexPrice, "index price", VenueBounds.IsPrice);
        var price = parts.Plausible(ticker?.MarkPrice, "mark price", VenueBounds.IsPrice) ?? index;
        var asOf = latest?.AtUtc ?? ticker?.Time ?? funding?.AtUtc ?? throw parts.Nothing();
        var funding8h = parts.Funding8h(funding, options.MaxAbsFundingRate8h);
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = asOf,
            FundingRate8h = funding8h,
            FundingTimeUtc = funding8h is null ? null : funding?.AtUtc,
            FundingIntervalHours = funding8h is null ? null : (decimal)funding!.Interval.TotalHours,
            OpenInterestBtc = latest?.Btc,
            OpenInterestUsd = latest is not null && price is { } p ? Math.Round(latest.Btc * p, 0) : null,
            IndexPriceUsd = index,
            OpenInterestHistory = history,
            Partial = parts.Failed,
            Notes = [.. parts.Notes, "basis: not read from Bybit (funding and open interest only)"],
        };
        parts.EnsureAny(reading);
        return reading;
    }

    public sealed record Ticker(decimal? MarkPrice, decimal? IndexPrice, DateTimeOffset Time);

    private static JsonElement Result(JsonDocument doc, string what)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"bybit {what}: expected an object");
        var code = VenueJson.Decimal(root, "retCode");
        if (code is null) throw new VenueFormatException($"bybit {what}: 'retCode' is missing");
        if (code != 0) throw new VenueFormatException($"bybit {what}: error {code} {VenueJson.String(root, "retMsg")}");
        return VenueJson.Property(root, "result", "bybit " + what);
    }

    public static FundingObservation ParseFundingHistory(string json)
    {
        using var doc = VenueJson.Parse(json, "bybit funding/history");
        var rows = VenueJson.Array(VenueJson.Property(Result(doc, "funding/history"), "list", "bybit funding/history"), "bybit funding/history")
            .EnumerateArray()
            .Select(x => (Rate: VenueJson.RequiredDecimal(x, "fundingRate", "bybit funding/history"), At: VenueJson.Millis(x, "fundingRateTimestamp") ?? throw new VenueFormatException("bybit funding/history: 'fundingRateTimestamp' is missing")))
            .ToList();
        if (rows.Count == 0) throw new VenueFormatException("bybit funding/history: empty list");
        var latest = rows.MaxBy(r => r.At);
        return new FundingObservation(latest.Rate, VenueJson.IntervalFrom(rows.Select(r => r.At)) ?? TimeSpan.FromHours(8), latest.At, "settled");
    }

    /// <summary>Hourly open interest in BTC, oldest first (the API answers newest first).</summary>
    public static IReadOnlyList<OpenInterestPoint> ParseOpenInterest(string json)
    {
        using var doc = VenueJson.Parse(json, "bybit open-interest");
        var list = VenueJson.Array(VenueJson.Property(Result(doc, "open-interest"), "list", "bybit open-interest"), "bybit open-interest")
            .EnumerateArray()
            .Select(x => new OpenInterestPoint(
                VenueJson.Millis(x, "timestamp") ?? throw new VenueFormatException("bybit open-interest: 'timestamp' is missing"),
                VenueJson.RequiredDecimal(x, "openInterest", "bybit open-interest")))
            .OrderBy(p => p.AtUtc)
            .ToList();
        if (list.Count == 0) throw new VenueFormatException("bybit open-interest: empty list");
        return list;
    }

    public static Ticker ParseTicker(string json)
    {
        using var doc = VenueJson.Parse(json, "bybit tickers");
        var result = Result(doc, "tickers");
        var row = VenueJson.Array(VenueJson.Property(result, "list", "bybit tickers"), "bybit tickers").EnumerateArray().FirstOrDefault();
        if (row.ValueKind != JsonValueKind.Object) throw new VenueFormatException("bybit tickers: empty list");
        return new Ticker(VenueJson.Decimal(row, "markPrice"), VenueJson.Decimal(row, "indexPrice"), VenueJson.Millis(doc.RootElement, "time") ?? default);
    }
}
