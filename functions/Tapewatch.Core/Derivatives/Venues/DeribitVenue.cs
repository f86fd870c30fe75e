using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// Deribit: public/get_book_summary_by_currency (kind=future) for BTC-PERPETUAL funding_8h and open interest (USD
/// for inverse contracts) and the dated futures' mark prices ("BTC-27MAR26", expiring 08:00 UTC), against
/// public/get_index_price (btc_usd).
/// </summary>
public sealed class DeribitVenue : DerivativesVenue
{
    public override string Name => "deribit";

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var baseUrl = options.Deribit.BaseUrl;
        var parts = new Parts(Name);
        var book = await parts.TryAsync("get_book_summary_by_currency", async () => ParseBookSummary(await documents.GetAsync(Request(baseUrl, "/api/v2/public/get_book_summary_by_currency", "BTC", ("currency", "BTC"), ("kind", "future")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var index = await parts.TryAsync("get_index_price", async () => ParseIndex(await documents.GetAsync(Request(baseUrl, "/api/v2/public/get_index_price", "btc_usd", ("index_name", "btc_usd")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

        var spot = parts.Plausible(index?.Price, "index price", VenueBounds.IsPrice) ?? parts.Plausible(book?.EstimatedDeliveryPrice, "estimated delivery price", VenueBounds.IsPrice);
        BasisResult? basis = null;
        if (book is not null && spot is { } s)
        {
            basis = BasisMath.ThreeMonth(book.Futures, s, book.Time, options.BasisMethod, options.MinBasisDays);
            if (basis is null) parts.Note("basis: no quarterly beyond the minimum days to expiry");
            basis = parts.Plausible(basis);
        }

        if (book is not null && index is null && spot is not null) parts.Note("index: estimated_delivery_price used");
        var oiUsd = parts.Plausible(book?.PerpetualOpenInterestUsd, "open interest (USD)", VenueBounds.IsOpenInterestUsd);
        var funding8h = parts.Plausible(book?.Funding8h, string.Create(CultureInfo.InvariantCulture, $"funding_8h (beyond ±{options.MaxAbsFundingRate8h})"), r => Math.Abs(r) <= options.MaxAbsFundingRate8h);
        var asOf = book?.Time ?? index?.At ?? throw parts.Nothing();
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = asOf,
            FundingRate8h = funding8h,
            FundingTimeUtc = funding8h is null ? null : book!.Time,
            FundingIntervalHours = funding8h is null ? null : 8m,
            OpenInterestUsd = oiUsd,
            OpenInterestBtc = oiUsd is { } usd && spot is { } px ? parts.Plausible(Math.Round(usd / px, 4), "open interest (USD / index)", VenueBounds.IsOpenInterestBtc) : null,
            IndexPriceUsd = spot,
            Basis3mAnnualizedPct = basis?.AnnualizedPct,
            BasisDetail = basis?.Detail,
            Partial = parts.Failed,
            Notes = parts.Notes,
        };
        parts.EnsureAny(reading);
        return reading;
    }

    public sealed record BookSummary(decimal? Funding8h, decimal? PerpetualOpenInterestUsd, decimal? EstimatedDeliveryPrice, IReadOnlyList<FuturesQuote> Futures, DateTimeOffset Time);

    public sealed record IndexPrice(decimal Price, DateTimeOffset At);

    private static JsonElement Result(JsonDocument doc, string what)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"deribit {what}: expected an object");
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            throw new VenueFormatException($"deribit {what}: error {VenueJson.Decimal(error, "code")} {VenueJson.String(error, "message")}");
        }

        return VenueJson.Property(root, "result", "deribit " + what);
    }

    public static BookSummary ParseBookSummary(string json)
    {
        using var doc = VenueJson.Parse(json, "deribit get_book_summary_by_currency");
        decimal? funding = null, oi = null, delivery = null;
        DateTimeOffset? time = null;
        var futures = new List<FuturesQuote>();
        foreach (var row in VenueJson.Array(Result(doc, "get_book_summary_by_currency"), "deribit get_book_summary_by_currency").EnumerateArray())
        {
            var name = VenueJson.String(row, "instrument_name") ?? "";
            var t = VenueJson.Millis(row, "creation_timestamp");
            if (t is not null && (time is null || t > time)) time = t;
            delivery ??= VenueJson.Decimal(row, "estimated_delivery_price");
            if (name == "BTC-PERPETUAL")
            {
                funding = VenueJson.Decimal(row, "funding_8h");
                oi = VenueJson.Decimal(row, "open_interest");
                continue;
            }

            // Inverse BTC futures only ("BTC-27MAR26"); linear USDC ones are "BTC_USDC-…".
            var expiry = name.StartsWith("BTC-", StringComparison.Ordinal) ? BasisMath.ParseDeribitDate(name[4..]) : null;
            if (expiry is null) continue;
            if (VenueJson.Decimal(row, "mark_price") is { } mark) futures.Add(new FuturesQuote(name, BasisMath.ExpiryUtc(expiry.Value), mark));
        }

        if (time is null) throw new VenueFormatException("deribit get_book_summary_by_currency: no instruments with 'creation_timestamp'");
        return new BookSummary(funding, oi, delivery, futures, time.Value);
    }

    public static IndexPrice ParseIndex(string json)
    {
        using var doc = VenueJson.Parse(json, "deribit get_index_price");
        var result = Result(doc, "get_index_price");
        var usOut = VenueJson.Decimal(doc.RootElement, "usOut");
        var at = usOut is { } us ? VenueJson.FromUnixMilliseconds(decimal.Truncate(us / 1000), "deribit usOut") : default;
        return new IndexPrice(VenueJson.RequiredDecimal(result, "index_price", "deribit get_index_price"), at);
    }
}
