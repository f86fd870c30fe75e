using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// Binance USD-M (fapi: BTCUSDT perpetual funding history, open interest in BTC, mark/index price, hourly OI
/// history) and COIN-M (dapi: BTCUSD_YYMMDD quarterlies for the basis). HTTP 451 from US regions = blocked.
/// </summary>
public sealed class BinanceVenue : DerivativesVenue
{
    public override string Name => "binance";

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var o = options.Binance;
        var parts = new Parts(Name);
        var premium = await parts.TryAsync("premiumIndex", async () => ParsePremiumIndex(await documents.GetAsync(Request(o.UsdMarginedBaseUrl, "/fapi/v1/premiumIndex", "BTCUSDT", ("symbol", "BTCUSDT")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var funding = await parts.TryAsync("fundingRate", async () => ParseFundingHistory(await documents.GetAsync(Request(o.UsdMarginedBaseUrl, "/fapi/v1/fundingRate", "BTCUSDT", ("symbol", "BTCUSDT"), ("limit", "12")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var oi = await parts.TryAsync("openInterest", async () => ParseOpenInterest(await documents.GetAsync(Request(o.UsdMarginedBaseUrl, "/fapi/v1/openInterest", "BTCUSDT", ("symbol", "BTCUSDT")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var history = await parts.TryAsync("openInterestHist", async () => ParseOpenInterestHistory(await documents.GetAsync(Request(o.UsdMarginedBaseUrl, "/futures/data/openInterestHist", "BTCUSDT", ("symbol", "BTCUSDT"), ("period", "1h"), ("limit", "500")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var delivery = await parts.TryAsync("delivery premiumIndex", async () => ParseDelivery(await documents.GetAsync(Request(o.CoinMarginedBaseUrl, "/dapi/v1/premiumIndex", "BTCUSD", ("pair", "BTCUSD")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

        var fundingObs = funding ?? (premium?.LastFundingRate is { } r ? new FundingObservation(r, TimeSpan.FromHours(8), premium.Time, "premiumIndex lastFundingRate (current period)") : null);
        var index = parts.Plausible(premium?.IndexPrice ?? delivery?.IndexPrice, "index price", VenueBounds.IsPrice);
        // Without premiumIndex, the hourly history's value / open interest gives the price of its latest hour.
        var price = parts.Plausible(premium?.MarkPrice, "mark price", VenueBounds.IsPrice) ?? index ?? parts.Plausible(history?.LatestPrice, "openInterestHist implied price", VenueBounds.IsPrice);
        var openInterest = parts.Plausible(oi?.Btc, "open interest", VenueBounds.IsOpenInterestBtc);
        var asOf = oi?.AtUtc ?? premium?.Time ?? delivery?.Time ?? fundingObs?.AtUtc ?? throw parts.Nothing();

        BasisResult? basis = null;
        if (delivery is not null && parts.Plausible(delivery.IndexPrice, "delivery index price", VenueBounds.IsPrice) is { } s)
        {
            basis = BasisMath.ThreeMonth(delivery.Quotes, s, delivery.Time, options.BasisMethod, options.MinBasisDays);
            if (basis is null) parts.Note("basis: no BTCUSD quarterly beyond the minimum days to expiry");
            basis = parts.Plausible(basis);
        }

        var funding8h = parts.Funding8h(fundingObs, options.MaxAbsFundingRate8h);
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = asOf,
            FundingRate8h = funding8h,
            FundingTimeUtc = funding8h is null ? null : fundingObs?.AtUtc,
            FundingIntervalHours = funding8h is null ? null : (decimal)fundingObs!.Interval.TotalHours,
            OpenInterestBtc = openInterest,
            OpenInterestUsd = openInterest is { } btc && price is { } p ? Math.Round(btc * p, 0) : null,
            IndexPriceUsd = index,
            Basis3mAnnualizedPct = basis?.AnnualizedPct,
            BasisDetail = basis?.Detail,
            OpenInterestHistory = parts.Plausible(history?.Points, "openInterestHist"),
            Partial = parts.Failed,
            Notes = parts.Notes,
        };
        parts.EnsureAny(reading);
        return reading;
    }

    public sealed record PremiumIndex(decimal? MarkPrice, decimal? IndexPrice, decimal? LastFundingRate, DateTimeOffset Time);

    public sealed record Delivery(IReadOnlyList<FuturesQuote> Quotes, decimal? IndexPrice, DateTimeOffset Time);

    public static PremiumIndex ParsePremiumIndex(string json)
    {
        using var doc = VenueJson.Parse(json, "binance premiumIndex");
        var e = doc.RootElement;
        if (e.ValueKind == JsonValueKind.Array) e = e.EnumerateArray().FirstOrDefault(x => VenueJson.String(x, "symbol") == "BTCUSDT");
        if (e.ValueKind != JsonValueKind.Object) throw new VenueFormatException("binance premiumIndex: no BTCUSDT entry");
        ThrowIfError(e, "premiumIndex");
        return new PremiumIndex(
            VenueJson.Decimal(e, "markPrice"),
            VenueJson.Decimal(e, "indexPrice"),
            VenueJson.Decimal(e, "lastFundingRate"),
            VenueJson.Millis(e, "time") ?? throw new VenueFormatException("binance premiumIndex: 'time' is missing"));
    }

    /// <summary>fundingRate history (oldest first); the latest settlement and the interval implied by the spacing.</summary>
    public static FundingObservation ParseFundingHistory(string json)
    {
        using var doc = VenueJson.Parse(json, "binance fundingRate");
        ThrowIfError(doc.RootElement, "fundingRate");
        var rows = VenueJson.Array(doc.RootElement, "binance fundingRate")
            .EnumerateArray()
            .Select(x => (Rate: VenueJson.RequiredDecimal(x, "fundingRate", "binance fundingRate"), At: VenueJson.Millis(x, "fundingTime") ?? throw new VenueFormatException("binance fundingRate: 'fundingTime' is missing")))
            .ToList();
        if (rows.Count == 0) throw new VenueFormatException("binance fundingRate: empty list");
        var latest = rows.MaxBy(r => r.At);
        var interval = VenueJson.IntervalFrom(rows.Select(r => r.At)) ?? TimeSpan.FromHours(8);
        return new FundingObservation(latest.Rate, interval, latest.At, "settled");
    }

    public static OpenInterestPoint ParseOpenInterest(string json)
    {
        using var doc = VenueJson.Parse(json, "binance openInterest");
        var e = doc.RootElement;
        ThrowIfError(e, "openInterest");
        return new OpenInterestPoint(
            VenueJson.Millis(e, "time") ?? throw new VenueFormatException("binance openInterest: 'time' is missing"),
            VenueJson.RequiredDecimal(e, "openInterest", "binance openInterest"));
    }

    public sealed record History(IReadOnlyList<OpenInterestPoint> Points, decimal? LatestPrice);

    /// <summary>openInterestHist (oldest first): sumOpenInterest in BTC, sumOpenInterestValue in USD.</summary>
    public static History ParseOpenInterestHistory(string json)
    {
        using var doc = VenueJson.Parse(json, "binance openInterestHist");
        ThrowIfError(doc.RootElement, "openInterestHist");
        var rows = VenueJson.Array(doc.RootElement, "binance openInterestHist")
            .EnumerateArray()
            .Select(x => (Point: new OpenInterestPoint(
                VenueJson.Millis(x, "timestamp") ?? throw new VenueFormatException("binance openInterestHist: 'timestamp' is missing"),
                VenueJson.RequiredDecimal(x, "sumOpenInterest", "binance openInterestHist")), Value: VenueJson.Decimal(x, "sumOpenInterestValue")))
            .OrderBy(p => p.Point.AtUtc)
            .ToList();
        var last = rows.LastOrDefault();
        // A dust open interest (1e-28 BTC) would overflow the division: then there is no implied price.
        decimal? price = last.Point is { Btc: > 0 } p && last.Value is { } v && DecimalMath.Divide(v, p.Btc) is { } q ? Math.Round(q, 2) : null;
        return new History(rows.Select(r => r.Point).ToList(), price);
    }

    /// <summary>dapi premiumIndex?pair=BTCUSD: BTCUSD_PERP plus BTCUSD_YYMMDD delivery contracts (mark price vs index).</summary>
    public static Delivery ParseDelivery(string json)
    {
        using var doc = VenueJson.Parse(json, "binance dapi premiumIndex");
        ThrowIfError(doc.RootElement, "dapi premiumIndex");
        var quotes = new List<FuturesQuote>();
        decimal? index = null;
        DateTimeOffset? time = null;
        foreach (var x in VenueJson.Array(doc.RootElement, "binance dapi premiumIndex").EnumerateArray())
        {
            var symbol = VenueJson.String(x, "symbol") ?? "";
            index ??= VenueJson.Decimal(x, "indexPrice");
            var t = VenueJson.Millis(x, "time");
            if (t is not null && (time is null || t > time)) time = t;
            var underscore = symbol.LastIndexOf('_');
            var expiry = underscore < 0 ? null : BasisMath.ParseYymmdd(symbol[(underscore + 1)..]);
            if (expiry is null) continue;
            if (VenueJson.Decimal(x, "markPrice") is { } mark) quotes.Add(new FuturesQuote(symbol, BasisMath.ExpiryUtc(expiry.Value), mark));
        }

        return new Delivery(quotes, index, time ?? throw new VenueFormatException("binance dapi premiumIndex: no 'time'"));
    }

    /// <summary>Binance errors come as {"code":-1121,"msg":"Invalid symbol."}.</summary>
    private static void ThrowIfError(JsonElement e, string what)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var code) && e.TryGetProperty("msg", out _) && code.ValueKind == JsonValueKind.Number && !(code.TryGetInt32(out var c) && c == 200))
        {
            throw new VenueFormatException($"binance {what}: error {code.GetRawText()} {VenueJson.String(e, "msg")}");
        }
    }
}
